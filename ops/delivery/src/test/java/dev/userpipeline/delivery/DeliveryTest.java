package dev.userpipeline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    @Test
    void theChecksumDependsOnTheIdsNotOnTheirOrder() {
        assertThat(IdChecksum.of(List.of(A, B))).isEqualTo(IdChecksum.of(List.of(B, A))).hasSize(32);
        assertThat(IdChecksum.of(List.of(A))).isNotEqualTo(IdChecksum.of(List.of(A, B)));
        assertThat(IdChecksum.of(List.of())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb924");
    }

    @Test
    void topicKeysAreReadAsJsonStringsOrPlainText() {
        assertThat(TopicTrace.idOf("\"" + A + "\"")).isEqualTo(A);
        assertThat(TopicTrace.idOf(A.toString())).isEqualTo(A);
        assertThat(TopicTrace.idOf("not-a-uuid")).isNull();
        assertThat(TopicTrace.idOf(null)).isNull();
    }

    @Test
    void aWholePipelineReconcilesWhenEveryLandedUserIsInTheTopicOnceAndInCassandraOrADeadLetter() throws Exception {
        PipelineReconciliation whole = new PipelineReconciliation(200_000, 3, 200_000, 200_000, 0, 12, 199_988, 199_988);
        assertThat(whole.problems()).isEmpty();
        assertThat(whole.summary()).endsWith("reconciled");
        assertThat(new ObjectMapper().readTree(whole.json()).path("change_topic").path("duplicated").asLong()).isZero();
    }

    @Test
    void aDuplicatedChangeEventALostUserAndAnAggregateOffByOneAreEachNamed() throws Exception {
        PipelineReconciliation whole = new PipelineReconciliation(200_000, 0, 200_007, 200_000, 0, 0, 199_999, 200_000);
        assertThat(whole.matches()).isFalse();
        assertThat(whole.duplicatedChangeEvents()).isEqualTo(7);
        assertThat(whole.problems()).containsExactly(
                "7 duplicated change events in users_created (read committed)",
                "200,000 landed users but 199,999 in Cassandra and 0 dead letters",
                "the signups aggregate counts 200,000 users, Cassandra holds 199,999");
        JsonNode json = new ObjectMapper().readTree(whole.json());
        assertThat(json.path("match").asBoolean()).isFalse();
        assertThat(json.path("error").asText()).contains("7 duplicated", "199,999 in Cassandra");
    }

    @Test
    void aStalledReportNamesItsStageInOneJsonLine() throws Exception {
        DeliveryReport stalled = new DeliveryReport("run-1", 300, 120, DeliveryReport.Stage.STREAM, "the Spark job has not written them", 15.04);
        JsonNode json = new ObjectMapper().readTree(stalled.json());
        assertThat(stalled.json()).doesNotContain("\n");
        assertThat(json.path("stage").asText()).isEqualTo("stream");
        assertThat(json.path("missing").asInt()).isEqualTo(180);
        assertThat(json.path("seconds").asDouble()).isEqualTo(15.0);
        assertThat(json.path("error").asText()).contains("Spark job");
        assertThat(stalled.summary()).contains("120 of 300", "stalled at stream");

        DeliveryReport done = new DeliveryReport("run-1", 300, 300, DeliveryReport.Stage.DELIVERED, "", 3);
        assertThat(new ObjectMapper().readTree(done.json()).has("error")).isFalse();
        assertThat(done.complete()).isTrue();
    }

    @Test
    void aReconciliationMatchesOnlyTheSameIds() {
        String both = IdChecksum.of(List.of(A, B));
        Reconciliation match = new Reconciliation("run-1", 2, both, 2, both, 0, java.util.Map.of(), both, 0, List.of());
        assertThat(match.matches()).isTrue();
        assertThat(match.json()).contains("\"match\":true").doesNotContain("error");
        String onlyA = IdChecksum.of(List.of(A));
        Reconciliation missing = new Reconciliation("run-1", 2, both, 1, onlyA, 0, java.util.Map.of(), onlyA, 0, List.of(B));
        assertThat(missing.matches()).isFalse();
        assertThat(missing.json()).contains("\"match\":false", B.toString());
    }

    @Test
    void aBatchWhoseMissingUsersWereRejectedReconcilesWithBothCountsAndTheReasons() throws Exception {
        String both = IdChecksum.of(List.of(A, B));
        Reconciliation rejected = new Reconciliation("run-1", 2, both, 1, IdChecksum.of(List.of(A)), 1,
                java.util.Map.of("payload.name is a string, not an object", 1L), both, 0, List.of());
        assertThat(rejected.matches()).isTrue();
        assertThat(rejected.summary()).contains("Cassandra 1 users, 1 rejected by the stream job (payload.name is a string, not an object: 1)")
                .endsWith("reconciled");
        JsonNode json = new ObjectMapper().readTree(rejected.json());
        assertThat(json.path("rejected").path("count").asInt()).isEqualTo(1);
        assertThat(json.path("rejected").path("reasons").path("payload.name is a string, not an object").asInt()).isEqualTo(1);

        DeliveryReport delivered = new DeliveryReport("run-1", 2, 1, 1, java.util.Map.of("email is not an address: x", 1L),
                DeliveryReport.Stage.DELIVERED, "", 2);
        assertThat(delivered.complete()).isTrue();
        assertThat(delivered.summary()).contains("1 of 2 landed users in Cassandra, 1 rejected by the stream job (email is not an address: x: 1)");
        assertThat(new ObjectMapper().readTree(delivered.json()).path("missing").asInt()).isZero();
    }
}
