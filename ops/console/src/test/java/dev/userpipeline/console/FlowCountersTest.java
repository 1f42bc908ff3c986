package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userpipeline.stream.JobProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's lag is the change topic's end less the offsets its latest progress reached, partition by partition. */
class FlowCountersTest {

    @Test
    void theJobsOffsetsAreThoseOfItsLatestProgress(@TempDir Path home) throws Exception {
        Path file = JobProgress.file(home);
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"pid":1,"queries":{"created_users":{"state":"active","progress":{"batchId":7,
                  "sources":[{"description":"KafkaV2[Subscribe[users_created]]","startOffset":{"users_created":{"0":10,"1":5,"2":0}},
                              "endOffset":{"users_created":{"0":120,"1":95,"2":40}}}]}}}}
                """);

        assertThat(FlowCounters.jobOffsets(home, "users_created")).isEqualTo(Map.of(0, 120L, 1, 95L, 2, 40L));
        assertThat(FlowCounters.jobOffsets(home, "another_topic")).isEmpty();
    }

    @Test
    void withoutProgressTheJobsOffsetsAreUnknownRatherThanNone(@TempDir Path home) {
        assertThatThrownBy(() -> FlowCounters.jobOffsets(home, "users_created"))
                .hasMessageContaining("no progress of the Spark job in " + home.resolve("stream/progress.json"));
    }

    @Test
    void theLagInAllIsUnknownWhenTheJobsCouldNotBeRead() {
        FlowCounters.Lag read = new FlowCounters.Lag(Map.of(0, 3L, 1, 4L), null, 1024L, null);
        FlowCounters.Lag failed = new FlowCounters.Lag(Map.of(), "broker down", null, "no slot yet");

        assertThat(read.job()).isEqualTo(7);
        assertThat(failed.job()).isNull();
    }
}
