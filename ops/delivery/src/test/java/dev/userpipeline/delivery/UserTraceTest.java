package dev.userpipeline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a trace reads: the outcome first, then each stage with the time it took to reach it. */
class UserTraceTest {

    static final UUID ID = UUID.fromString("90824fe6-7d45-4abb-b6fd-511657d11361");
    static final Instant FETCHED = Instant.parse("2026-12-05T16:13:03.736Z");

    static UserTrace delivered() {
        return new UserTrace(ID.toString(), ID, UserTrace.Outcome.DELIVERED, List.of(
                new UserTrace.Stage("fetched", FETCHED, "from offline, batch seed-7"),
                new UserTrace.Stage("landed", FETCHED.plusMillis(269), "ingest.users_raw"),
                new UserTrace.Stage("published", FETCHED.plusMillis(672), "users_created partition 1 offset 339367"),
                new UserTrace.Stage("written", FETCHED.plusMillis(3_984), "spark_streams.created_users")), "", "");
    }

    @Test
    void aDeliveredUserShowsItsFourStagesAndTheTimeBetweenThem() {
        List<String> lines = delivered().lines();

        assertThat(lines.get(0)).isEqualTo(ID + ": delivered");
        assertThat(lines.get(1)).contains("fetched", "2026-12-05T16:13:03.736Z", "from offline, batch seed-7").doesNotContain("+");
        assertThat(lines.get(2)).contains("landed", "+269 ms", "ingest.users_raw");
        assertThat(lines.get(3)).contains("published", "+403 ms", "partition 1 offset 339367");
        assertThat(lines.get(4)).contains("written", "+3312 ms");
        assertThat(lines.get(5)).isEqualTo("  end to end 3984 ms");
    }

    @Test
    void itsJsonHasTheSameStagesWithTheMillisecondsBetweenThem() {
        JsonNode json = delivered().toJson();

        assertThat(json.path("outcome").asText()).isEqualTo("delivered");
        assertThat(json.path("id").asText()).isEqualTo(ID.toString());
        assertThat(json.path("stages")).extracting(s -> s.path("stage").asText()).containsExactly("fetched", "landed", "published", "written");
        assertThat(json.path("stages").get(0).has("millisSincePrevious")).isFalse();
        assertThat(json.path("stages").get(3).path("millisSincePrevious").asLong()).isEqualTo(3_312);
        assertThat(json.path("endToEndMillis").asLong()).isEqualTo(3_984);
    }

    @Test
    void aRejectedUserShowsItsReasonAndAnUnknownOneThatItNeverLanded() {
        UserTrace rejected = new UserTrace(ID.toString(), ID, UserTrace.Outcome.REJECTED, List.of(
                new UserTrace.Stage("fetched", FETCHED, "from offline, batch b"),
                new UserTrace.Stage("rejected", FETCHED.plusSeconds(1), "users_created.dlq partition 0 offset 3")),
                "email is not an address: nobody-at-example.com", "");
        UserTrace unknown = new UserTrace("someone@example.com", null, UserTrace.Outcome.NEVER_LANDED, List.of(), "",
                "never landed: no row of ingest.users_raw has the email someone@example.com");

        assertThat(rejected.lines().get(0)).isEqualTo(ID + ": rejected (email is not an address: nobody-at-example.com)");
        assertThat(unknown.lines()).containsExactly("someone@example.com: never landed",
                "  never landed: no row of ingest.users_raw has the email someone@example.com");
        assertThat(unknown.toJson().path("id").isNull()).isTrue();
        assertThat(unknown.toJson().path("endToEndMillis").isNull()).isTrue();
    }
}
