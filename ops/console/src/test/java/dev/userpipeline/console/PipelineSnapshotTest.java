package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.stack.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PipelineSnapshotTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static ServiceStatus service(String name, ServiceStatus.State state) {
        return new ServiceStatus(name, state, state == ServiceStatus.State.HEALTHY ? OptionalLong.of(42) : OptionalLong.empty(),
                "127.0.0.1:1", state == ServiceStatus.State.HEALTHY ? "fine" : "", 3L << 20, Duration.ofMillis(1500), Duration.ofSeconds(90));
    }

    static PipelineSnapshot snapshot(Instant at, PipelineSnapshot previous, List<FlowCounters.Counter> counters, ServiceStatus... services) {
        return new PipelineSnapshot(at, Duration.ofMillis(120), List.of(services), PipelineSnapshot.withRates(counters, at, previous));
    }

    @Test
    void aRateIsTheCounterIncreasePerSecondSinceTheLookBefore() {
        PipelineSnapshot first = snapshot(T0, null, List.of(FlowCounters.Counter.of("landed", "rows", 1_000)));
        PipelineSnapshot second = snapshot(T0.plusSeconds(5), first, List.of(FlowCounters.Counter.of("landed", "rows", 6_000)));

        assertThat(first.stages().get(0).perSecond()).as("nothing to compare the first look with").isNull();
        assertThat(second.stages().get(0).perSecond()).isEqualTo(1_000.0);
    }

    @Test
    void aCounterThatWentDownOrCouldNotBeReadHasNoRate() {
        PipelineSnapshot first = snapshot(T0, null, List.of(FlowCounters.Counter.of("landed", "rows", 9_000),
                FlowCounters.Counter.of("captured", "offsets", 10)));
        PipelineSnapshot purged = snapshot(T0.plusSeconds(5), first, List.of(FlowCounters.Counter.of("landed", "rows", 0),
                FlowCounters.Counter.failed("captured", "offsets", new IllegalStateException("broker down\nstack trace"))));

        assertThat(purged.stages()).allSatisfy(stage -> assertThat(stage.perSecond()).isNull());
        assertThat(purged.stages().get(1).counter().error()).as("the first line of the reason").isEqualTo("broker down");
    }

    @Test
    void healthyWhenEveryServiceThatIsPartOfTheStackAnswers() {
        List<FlowCounters.Counter> none = List.of();
        assertThat(snapshot(T0, null, none, service("kafka", ServiceStatus.State.HEALTHY), service("ingest", ServiceStatus.State.OFF))
                .healthy()).isTrue();
        assertThat(snapshot(T0, null, none, service("kafka", ServiceStatus.State.HEALTHY), service("stream", ServiceStatus.State.STOPPED))
                .healthy()).isFalse();
    }

    @Test
    void theJsonCarriesEveryServiceAndStage() {
        PipelineSnapshot first = snapshot(T0, null, List.of(FlowCounters.Counter.of("captured", "offsets of users_created", 100)));
        PipelineSnapshot second = snapshot(T0.plusSeconds(2), first,
                List.of(FlowCounters.Counter.of("captured", "offsets of users_created", 105),
                        FlowCounters.Counter.failed("rejected", "offsets of users_created.dlq", new RuntimeException("timeout"))),
                service("kafka", ServiceStatus.State.HEALTHY), service("console", ServiceStatus.State.OFF));

        JsonNode json = second.toJson();

        assertThat(json.path("takenAt").asText()).isEqualTo("2026-12-01T10:00:02Z");
        assertThat(json.path("tookMillis").asLong()).isEqualTo(120);
        assertThat(json.path("healthy").asBoolean()).isTrue();
        JsonNode kafka = json.path("services").get(0);
        assertThat(kafka.path("name").asText()).isEqualTo("kafka");
        assertThat(kafka.path("state").asText()).isEqualTo("healthy");
        assertThat(kafka.path("pid").asLong()).isEqualTo(42);
        assertThat(kafka.path("memoryBytes").asLong()).isEqualTo(3L << 20);
        assertThat(kafka.path("cpuSeconds").asDouble()).isEqualTo(1.5);
        assertThat(kafka.path("uptimeSeconds").asLong()).isEqualTo(90);
        assertThat(json.path("services").get(1).path("pid").isNull()).isTrue();
        JsonNode captured = json.path("stages").get(0);
        assertThat(captured.path("stage").asText()).isEqualTo("captured");
        assertThat(captured.path("count").asLong()).isEqualTo(105);
        assertThat(captured.path("perSecond").asDouble()).isEqualTo(2.5);
        assertThat(captured.path("error").isNull()).isTrue();
        JsonNode rejected = json.path("stages").get(1);
        assertThat(rejected.path("count").isNull()).isTrue();
        assertThat(rejected.path("error").asText()).isEqualTo("timeout");
    }
}
