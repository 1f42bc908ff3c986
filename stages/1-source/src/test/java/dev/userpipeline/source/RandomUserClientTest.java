package dev.userpipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userpipeline.source.ScriptedApi.Answer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RandomUserClientTest {

    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));

    static String user(String uuid, String first, String last, String postcodeJson) {
        return "{\"gender\":\"male\",\"name\":{\"title\":\"Mr\",\"first\":\"" + first + "\",\"last\":\"" + last + "\"},"
                + "\"location\":{\"street\":{\"number\":8929,\"name\":\"Valwood Pkwy\"},\"city\":\"Billings\",\"state\":\"Michigan\","
                + "\"country\":\"United States\",\"postcode\":" + postcodeJson + ",\"coordinates\":{\"latitude\":\"-69.8246\","
                + "\"longitude\":\"134.8719\"},\"timezone\":{\"offset\":\"+9:30\",\"description\":\"Adelaide, Darwin\"}},"
                + "\"email\":\"a@example.com\",\"login\":{\"uuid\":\"" + uuid + "\",\"username\":\"yellowpeacock117\"},"
                + "\"dob\":{\"date\":\"1992-03-08T15:13:16.688Z\",\"age\":30},\"registered\":{\"date\":\"2007-07-09T05:51:59.390Z\",\"age\":14},"
                + "\"phone\":\"(272) 790-0888\",\"cell\":\"(489) 330-2385\",\"id\":{\"name\":\"\",\"value\":null},"
                + "\"picture\":{\"large\":\"l\",\"medium\":\"m\",\"thumbnail\":\"t\"},\"nat\":\"US\"}";
    }

    static String page(String... users) {
        return "{\"results\":[" + String.join(",", users) + "],\"info\":{\"seed\":\"s\",\"results\":" + users.length
                + ",\"page\":1,\"version\":\"1.4\"}}";
    }

    static final String GOOD = page(user("7a0eed16-9430-4d68-901f-c0d4c1c3bf00", "Jennie", "Nichols", "63104"));

    private static RandomUserClient client(ScriptedApi api, Duration readTimeout, List<String> retries) {
        return new RandomUserClient(api.base(), Duration.ofSeconds(2), readTimeout, FAST).onRetry(retries::add);
    }

    @Test
    void aServerErrorIsRetriedAndTheNextAnswerUsed() throws Exception {
        List<String> retries = new CopyOnWriteArrayList<>();
        try (ScriptedApi api = new ScriptedApi(Answer.json(500, "{\"error\":\"Uh oh, something has gone wrong.\"}"), Answer.json(200, GOOD))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), retries).fetch(RandomUserQuery.of(1, "s", 1));
            assertThat(page.users()).hasSize(1);
            assertThat(api.requests).hasSize(2);
            assertThat(retries).singleElement().asString().contains("try 1 of 3 failed", "Uh oh, something has gone wrong.", "HTTP 500");
        }
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSays() throws Exception {
        List<String> retries = new CopyOnWriteArrayList<>();
        try (ScriptedApi api = new ScriptedApi(
                Answer.json(429, "{\"error\":\"Whoa, ease up there cowboy...\"}").withHeader("Retry-After", "1"),
                Answer.json(200, GOOD))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), retries).fetch(RandomUserQuery.of(1, "s", 1));
            assertThat(page.users()).hasSize(1);
            assertThat(retries).singleElement().asString().contains("HTTP 429", "ease up there cowboy", "retrying in 1000 ms");
        }
    }

    @Test
    void aConnectionThatHangsTimesOutIsRetriedThenReportedClearly() throws Exception {
        List<String> retries = new CopyOnWriteArrayList<>();
        try (ScriptedApi api = new ScriptedApi(Answer.hanging(), Answer.hanging(), Answer.hanging())) {
            RandomUserClient client = client(api, Duration.ofMillis(300), retries);
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("within 300 ms")
                    .hasMessageContaining("GET " + api.base() + "?results=1&seed=s&page=1")
                    .hasMessageContaining("after 3 tries");
            assertThat(retries).hasSize(2);
        }
    }

    @Test
    void anHtmlPageIsRejectedShowingWhatCameBack() throws Exception {
        String html = "<!DOCTYPE html><html><head><title>Captive portal</title></head><body>Log in</body></html>";
        try (ScriptedApi api = new ScriptedApi(Answer.of(200, "text/html", html), Answer.of(200, "text/html", html), Answer.of(200, "text/html", html))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("an HTML page, not the API's JSON")
                    .hasMessageContaining("HTTP 200, text/html")
                    .hasMessageContaining("starting \"<!DOCTYPE html><html><head><title>Captive portal")
                    .hasMessageContaining(api.base().toString());
        }
    }

    @Test
    void theApisErrorObjectIsReportedWithItsText() throws Exception {
        String error = "{\"error\":\"Uh oh, something has gone wrong. Please tell us on GitHub.\"}";
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, error), Answer.json(200, error), Answer.json(200, error))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("the API's error \"Uh oh, something has gone wrong. Please tell us on GitHub.\"")
                    .hasMessageContaining("after 3 tries");
        }
    }

    @Test
    void truncatedJsonIsRejectedWithWhereItBroke() throws Exception {
        String truncated = GOOD.substring(0, GOOD.length() / 2);
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, truncated), Answer.json(200, truncated), Answer.json(200, truncated))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("truncated or malformed JSON at byte")
                    .hasMessageContaining(truncated.length() + " bytes");
        }
    }

    @Test
    void aTruncatedAnswerFollowedByAGoodOneLosesNothing() throws Exception {
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, GOOD.substring(0, 100)), Answer.json(200, GOOD))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).fetch(RandomUserQuery.of(1, "s", 1));
            assertThat(page.users()).extracting(u -> u.user().name().first()).containsExactly("Jennie");
        }
    }

    @Test
    void aWrongContentTypeIsRejected() throws Exception {
        try (ScriptedApi api = new ScriptedApi(Answer.of(200, "text/plain", GOOD), Answer.of(200, "text/plain", GOOD), Answer.of(200, "text/plain", GOOD))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("content type text/plain, not JSON");
        }
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        try (ScriptedApi api = new ScriptedApi(Answer.json(404, "{\"error\":\"Not found\"}"))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageNotContaining("tries");
            assertThat(api.requests).hasSize(1);
        }
    }

    @Test
    void aUserWithoutUuidIsSetApartAndTheGoodUsersOfItsPageKept() throws Exception {
        String noUuid = user("x", "Broken", "User", "1").replace("\"uuid\":\"x\",", "");
        String body = page(user("11111111-1111-4111-8111-111111111111", "Ann", "One", "1"), noUuid,
                user("22222222-2222-4222-8222-222222222222", "Bob", "Two", "\"H1 9TE\""), "42");
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, body))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).fetch(RandomUserQuery.of(4, "s", 1));
            assertThat(page.users()).extracting(u -> u.user().name().first()).containsExactly("Ann", "Bob");
            assertThat(page.rejected()).extracting(RandomUserPage.RejectedUser::reason)
                    .containsExactly("no login.uuid", "not a JSON object but number");
            assertThat(page.rejected().get(0).json()).contains("\"Broken\"");
            assertThat(page.size()).isEqualTo(4);
        }
    }

    @Test
    void postcodesAreTextWhetherSentAsNumbersOrStringsAndNullIdsSurvive() throws Exception {
        String body = page(user("11111111-1111-4111-8111-111111111111", "Ann", "One", "63104"),
                user("22222222-2222-4222-8222-222222222222", "Bob", "Two", "\"H1 9TE\""));
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, body))) {
            List<RandomUser> users = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>())
                    .fetch(RandomUserQuery.of(2, "s", 1)).users().stream().map(RandomUserPage.FetchedUser::user).toList();
            assertThat(users).extracting(u -> u.location().postcode()).containsExactly("63104", "H1 9TE");
            assertThat(users.get(0).idDocument().value()).isNull();
            assertThat(users.get(0).location().street().number()).isEqualTo(8929);
            assertThat(users.get(0).dob().age()).isEqualTo(30);
        }
    }

    @Test
    void persianUkrainianAndSerbianNamesArriveUnchanged() throws Exception {
        String body = page(user("11111111-1111-4111-8111-111111111111", "محمدرضا", "رضایی", "1"),
                user("22222222-2222-4222-8222-222222222222", "Олександра", "Шевченко", "1"),
                user("33333333-3333-4333-8333-333333333333", "Ђорђе", "Јовановић", "1"));
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, body))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).fetch(RandomUserQuery.of(3, "s", 1));
            assertThat(page.users()).extracting(u -> u.user().name().first() + " " + u.user().name().last())
                    .containsExactly("محمدرضا رضایی", "Олександра Шевченко", "Ђорђе Јовановић");
            assertThat(page.users().get(2).json()).contains("\"first\":\"Ђорђе\",\"last\":\"Јовановић\"");
        }
    }

    @Test
    void queriesCarryEveryParameterAndRefuseWhatTheApiCannotAnswer() {
        RandomUserQuery query = new RandomUserQuery(5000, "a b", 3, List.of("IR", "UA"), "female", List.of("login", "name"), List.of());
        assertThat(query.toUri(java.net.URI.create("https://randomuser.me/api/")).toString())
                .isEqualTo("https://randomuser.me/api/?results=5000&seed=a+b&page=3&nat=IR%2CUA&gender=female&inc=login%2Cname");
        assertThatThrownBy(() -> RandomUserQuery.of(5001, "s", 1)).hasMessageContaining("1 to 5000");
        assertThatThrownBy(() -> RandomUserQuery.of(1, "s", 1).withNationalities(List.of("XX"))).hasMessageContaining("unknown nationality 'XX'");
        assertThatThrownBy(() -> new RandomUserQuery(1, "s", 1, List.of(), null, List.of(), List.of("login")))
                .hasMessageContaining("login.uuid identifies each user");
    }

    @Test
    void plainHttpAsksForNoUpgradeToHttp2SoAServerThatClosesUpgradesAnswers() throws Exception {
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, GOOD))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).fetch(RandomUserQuery.of(1, "s", 1));
            assertThat(page.users()).hasSize(1);
            assertThat(api.upgradeRequests).isEmpty();
        }
    }

    @Test
    void tooManyRequestsWithoutRetryAfterWaitsOutTheWindowWithoutSpendingTries() throws Exception {
        List<String> retries = new CopyOnWriteArrayList<>();
        Answer limited = Answer.json(429, "{\"error\":\"Whoa, ease up there cowboy...\"}");
        try (ScriptedApi api = new ScriptedApi(limited, limited, limited, Answer.json(200, GOOD))) {
            RandomUserClient client = new RandomUserClient(api.base(), Duration.ofSeconds(2), Duration.ofSeconds(5),
                    FAST.withRateLimitWindow(Duration.ofSeconds(1))).onRetry(retries::add);
            long begin = System.nanoTime();
            RandomUserPage page = client.fetch(RandomUserQuery.of(1, "s", 1));
            assertThat(page.users()).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(retries).hasSize(3).allSatisfy(line -> assertThat(line)
                    .contains("rate-limited", "HTTP 429", "waiting out the source's 1 s window, until"));
        }
    }

    @Test
    void anAnswerOverTheLimitIsRefusedAtOnceWhetherItsSizeIsDeclaredOrNot() throws Exception {
        String big = page(java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> user(String.format("11111111-1111-4111-8111-%012d", i), "Ann", "One", "1")).toArray(String[]::new));
        for (Answer answer : List.of(Answer.json(200, big), Answer.json(200, big).chunked())) {
            try (ScriptedApi api = new ScriptedApi(answer, answer)) {
                RandomUserClient client = new RandomUserClient(api.base(), Duration.ofSeconds(2), Duration.ofSeconds(5), FAST, 64 * 1024);
                assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(200, "s", 1)))
                        .isInstanceOf(RandomUserException.class)
                        .hasMessageContaining("over the limit of 65,536 bytes")
                        .hasMessageContaining("Ask for fewer users per request, or raise the limit");
                assertThat(api.requests).hasSize(1);
            }
        }
    }

    @Test
    void escapeSequencesFromTheServerNeverReachTheTerminalRaw() throws Exception {
        String hostile = "{\"error\":\"\u001b]0;owned\u0007\u001b[2J gone\"}";
        try (ScriptedApi api = new ScriptedApi(Answer.json(400, hostile).withHeader("X-Ignored", "1"))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(1, "s", 1)))
                    .isInstanceOf(RandomUserException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b", "\u0007").contains("\\u001b[2J gone"));
        }
    }

    @Test
    void anAnswerHoldingFewerUsersThanItPromisesIsRetried() throws Exception {
        String oneOfThree = GOOD.replace("\"results\":1", "\"results\":3");
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, oneOfThree), Answer.json(200, oneOfThree), Answer.json(200, oneOfThree))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> client.fetch(RandomUserQuery.of(3, "s", 1)))
                    .hasMessageContaining("the answer promises 3 users (info.results) but holds 1");
        }
    }

    @Test
    void aShortOrEmptyPageSaysHowManyUsersItLacks() throws Exception {
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, GOOD), Answer.json(200, "{\"results\":[]}"))) {
            RandomUserClient client = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>());
            assertThat(client.fetch(RandomUserQuery.of(10, "s", 1)).missing()).isEqualTo(9);
            assertThat(client.fetch(RandomUserQuery.of(10, "s", 2)).missing()).isEqualTo(10);
        }
    }

    @Test
    void aSecondUserWithTheSameIdIsKeptWhenIdenticalAndSetApartAsAConflictWhenNot() throws Exception {
        String ann = user("11111111-1111-4111-8111-111111111111", "Ann", "One", "1");
        String notAnn = user("11111111-1111-4111-8111-111111111111", "Eve", "Other", "1");
        try (ScriptedApi api = new ScriptedApi(Answer.json(200, page(ann, ann, notAnn)))) {
            RandomUserPage page = client(api, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).fetch(RandomUserQuery.of(3, "s", 1));
            assertThat(page.users()).extracting(u -> u.user().name().first()).containsExactly("Ann", "Ann");
            assertThat(page.rejected()).singleElement().satisfies(r -> {
                assertThat(r.reason()).startsWith("conflict: login.uuid 11111111-1111-4111-8111-111111111111");
                assertThat(r.json()).contains("\"Eve\"");
            });
        }
    }
}
