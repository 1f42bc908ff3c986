package dev.userpipeline.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.source.RandomUser;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.source.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The offline source read by the real client, as the pipeline reads it. */
class OfflineSourceServerTest {

    static OfflineSourceServer server;
    static RandomUserClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new OfflineSourceServer("127.0.0.1", 0, 2).start();
        client = new RandomUserClient(URI.create(OfflineSettings.apiUrl("127.0.0.1", server.port())),
                Duration.ofSeconds(2), Duration.ofSeconds(30), RetryPolicy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSameSeedAndPageGiveTheSameUsersAndOtherPagesOthers() {
        RandomUserPage first = client.fetch(RandomUserQuery.of(500, "pipeline", 1));
        RandomUserPage again = client.fetch(RandomUserQuery.of(500, "pipeline", 1));
        RandomUserPage second = client.fetch(RandomUserQuery.of(500, "pipeline", 2));
        RandomUserPage otherSeed = client.fetch(RandomUserQuery.of(500, "other", 1));

        assertThat(first.users()).hasSize(500);
        assertThat(first.rejected()).isEmpty();
        assertThat(again.users()).extracting(RandomUserPage.FetchedUser::json)
                .containsExactlyElementsOf(first.users().stream().map(RandomUserPage.FetchedUser::json).toList());
        Set<Object> ids = new HashSet<>();
        for (RandomUserPage page : List.of(first, second, otherSeed)) {
            page.users().forEach(u -> ids.add(u.user().id()));
        }
        assertThat(ids).hasSize(1_500);
    }

    @Test
    void usersHaveEverySectionOfTheRealApi() throws Exception {
        RandomUserPage page = client.fetch(RandomUserQuery.of(200, "shape", 1));
        RandomUser user = page.users().get(0).user();
        assertThat(user.name().first()).isNotBlank();
        assertThat(user.location().street().number()).isPositive();
        assertThat(user.location().coordinates().latitude()).matches("-?\\d+\\.\\d{4}");
        assertThat(user.email()).endsWith("@example.com");
        assertThat(user.dob().date()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(user.registered().age()).isNotNull();
        assertThat(user.picture().large()).startsWith("https://randomuser.me/api/portraits/");
        JsonNode raw = new ObjectMapper().readTree(page.users().get(0).json());
        assertThat(raw.path("login").fieldNames()).toIterable()
                .contains("uuid", "username", "password", "salt", "md5", "sha1", "sha256");
        assertThat(raw.path("location").path("street").isObject()).isTrue();
        assertThat(raw.path("location").path("coordinates").path("latitude").isTextual()).isTrue();
    }

    @Test
    void postcodesAreNumbersForSomeNationalitiesAndTextForOthersAndSomeIdsAreNull() throws Exception {
        String us = get("?results=20&seed=p&nat=us");
        String gb = get("?results=20&seed=p&nat=gb");
        String ir = get("?results=20&seed=p&nat=ir");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(us).path("results").get(0).path("location").path("postcode").isNumber()).isTrue();
        assertThat(json.readTree(gb).path("results").get(0).path("location").path("postcode").isTextual()).isTrue();
        JsonNode irId = json.readTree(ir).path("results").get(0).path("id");
        assertThat(irId.path("value").isNull()).isTrue();
        assertThat(client.fetch(RandomUserQuery.of(5, "p", 1).withNationalities(List.of("US"))).users().get(0).user()
                .location().postcode()).matches("\\d{5}");
    }

    @Test
    void namesOfPersianUkrainianAndSerbianUsersAreInTheirOwnScripts() {
        assertThat(firstNames("IR")).allMatch(name -> name.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC));
        assertThat(firstNames("UA")).allMatch(name -> name.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC));
        assertThat(firstNames("RS")).allMatch(name -> name.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC));
    }

    @Test
    void parametersAreReadAsLenientlyAsTheRealApiReadsThem() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode tooMany = json.readTree(get("?results=5001&seed=x"));
        assertThat(tooMany.path("results").size()).isEqualTo(1);
        JsonNode unknownNat = json.readTree(get("?results=50&seed=x&nat=zz"));
        assertThat(unknownNat.path("results").size()).isEqualTo(50);
        JsonNode info = json.readTree(get("?results=3&seed=abc&page=7")).path("info");
        assertThat(info.path("seed").asText()).isEqualTo("abc");
        assertThat(info.path("page").asInt()).isEqualTo(7);
        assertThat(info.path("version").asText()).isEqualTo("1.4");
        JsonNode noSeed = json.readTree(get("?results=1"));
        assertThat(noSeed.path("info").path("seed").asText()).isNotBlank();
        JsonNode only = json.readTree(get("?results=2&seed=x&inc=login,nat&noinfo")).path("results").get(0);
        assertThat(only.fieldNames()).toIterable().containsExactlyInAnyOrder("login", "nat");
        assertThat(json.readTree(get("?results=2&seed=x&noinfo")).has("info")).isFalse();
        JsonNode without = json.readTree(get("?results=2&seed=x&exc=picture,id")).path("results").get(0);
        assertThat(without.has("picture")).isFalse();
        assertThat(without.has("id")).isFalse();
        assertThat(without.has("login")).isTrue();
        JsonNode women = json.readTree(get("?results=50&seed=x&gender=female"));
        women.path("results").forEach(u -> assertThat(u.path("gender").asText()).isEqualTo("female"));
    }

    private static List<String> firstNames(String nat) {
        return client.fetch(RandomUserQuery.of(50, "scripts", 1).withNationalities(List.of(nat))).users().stream()
                .map(u -> u.user().name().first()).toList();
    }

    private static String get(String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(OfflineSettings.apiUrl("127.0.0.1", server.port()) + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return response.body();
    }
}
