package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.stack.ServiceStatus;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusTableTest {

    @Test
    void rendersOneAlignedRowPerService() {
        List<String> lines = StatusTable.render(List.of(
                new ServiceStatus("postgres", ServiceStatus.State.HEALTHY, OptionalLong.of(4242), "127.0.0.1:5432",
                        "PostgreSQL 17.11", 56L * 1024 * 1024, Duration.ofMillis(1500), Duration.ofSeconds(3725)),
                new ServiceStatus("kafka", ServiceStatus.State.STOPPED, OptionalLong.empty(), "127.0.0.1:9092",
                        "", 0, Duration.ZERO, Duration.ZERO)));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("SERVICE").contains("STATE", "PID", "ADDRESS", "MEMORY");
        assertThat(lines.get(1)).contains("postgres", "healthy", "4242", "127.0.0.1:5432", "PostgreSQL 17.11", "1h02m", "56 MiB", "1.5s");
        assertThat(lines.get(2)).contains("kafka", "stopped", "127.0.0.1:9092").doesNotContain("MiB");
        assertThat(lines.get(1).indexOf("127.0.0.1")).isEqualTo(lines.get(2).indexOf("127.0.0.1"));
    }

    @Test
    void durationsReadLikeAClock() {
        assertThat(StatusTable.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(StatusTable.duration(Duration.ofSeconds(125))).isEqualTo("2m05s");
        assertThat(StatusTable.duration(Duration.ofHours(26).plusMinutes(3))).isEqualTo("26h03m");
    }
}
