package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flow over time: rates between samples, an hour kept, columns for the charts. */
class PipelineHistoryTest {

    static final Instant T0 = Instant.parse("2026-12-05T16:00:00Z");
    static final FlowCounters.Lag LAG = new FlowCounters.Lag(Map.of(0, 5L, 1, 7L), null, 2048L, null);

    static List<FlowCounters.Counter> landed(long count) {
        return List.of(FlowCounters.Counter.of("landed", "rows", count), FlowCounters.Counter.of("rejected", "offsets", 1));
    }

    @Test
    void aRateIsTheGrowthSinceTheSampleBefore() {
        PipelineHistory history = new PipelineHistory();
        PipelineHistory.Sample first = history.add(T0, landed(1_000), LAG, null);
        PipelineHistory.Sample second = history.add(T0.plusSeconds(5), landed(6_000), LAG, new RecentLatency.Latency(400, 900, 300));

        assertThat(first.rates()).isEmpty();
        assertThat(second.rates()).containsEntry("landed", 1_000.0).containsEntry("rejected", 0.0);
        assertThat(second.jobLagTotal()).isEqualTo(12);
    }

    @Test
    void aCounterThatWentDownHasNoRateAndAnUnreadOneNoValue() {
        PipelineHistory history = new PipelineHistory();
        history.add(T0, landed(9_000), LAG, null);
        PipelineHistory.Sample purged = history.add(T0.plusSeconds(5), landed(10), LAG, null);
        PipelineHistory.Sample unread = history.add(T0.plusSeconds(10),
                List.of(FlowCounters.Counter.failed("landed", "rows", new IllegalStateException("PostgreSQL away"))),
                new FlowCounters.Lag(Map.of(), "broker away", null, "no slot yet"), null);

        assertThat(purged.rates()).doesNotContainKey("landed");
        assertThat(unread.counts()).doesNotContainKey("landed");
        assertThat(unread.jobLag()).isNull();
        assertThat(unread.jobLagTotal()).isNull();
    }

    @Test
    void samplesOlderThanKeptAreDropped() {
        PipelineHistory history = new PipelineHistory(Duration.ofMinutes(10));
        history.add(T0, landed(1), LAG, null);
        history.add(T0.plus(Duration.ofMinutes(11)), landed(2), LAG, null);

        assertThat(history.since(Instant.EPOCH)).hasSize(1);
    }

    @Test
    void itsJsonIsOneColumnPerSeriesWithNullsWhereASampleHadNoValue() {
        PipelineHistory history = new PipelineHistory();
        history.add(T0, landed(1_000), LAG, null);
        history.add(T0.plusSeconds(5), landed(1_500), LAG, new RecentLatency.Latency(420, 980, 250));

        JsonNode json = history.toJson(Instant.EPOCH);

        assertThat(json.path("times")).extracting(JsonNode::asDouble).containsExactly((double) T0.getEpochSecond(), T0.getEpochSecond() + 5.0);
        assertThat(json.path("rates").path("landed").get(0).isNull()).isTrue();
        assertThat(json.path("rates").path("landed").get(1).asDouble()).isEqualTo(100.0);
        assertThat(json.path("jobLag")).extracting(JsonNode::asLong).containsExactly(12L, 12L);
        assertThat(json.path("jobLagPartitions").path("1")).extracting(JsonNode::asLong).containsExactly(7L, 7L);
        assertThat(json.path("slotLagBytes").get(0).asLong()).isEqualTo(2048);
        assertThat(json.path("latencyP50Millis").get(0).isNull()).isTrue();
        assertThat(json.path("latencyP99Millis").get(1).asLong()).isEqualTo(980);
    }

    @Test
    void latencyPercentilesAreTheNearestRank() {
        List<Long> millis = new java.util.ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            millis.add(i * 10);
        }

        RecentLatency.Latency latency = RecentLatency.of(millis);

        assertThat(latency.p50()).isEqualTo(1_000);
        assertThat(latency.p99()).isEqualTo(1_980);
        assertThat(latency.users()).isEqualTo(200);
        assertThat(RecentLatency.of(List.of())).isNull();
    }
}
