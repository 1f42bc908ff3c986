package dev.userpipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobProgressTest {

    private static Path progress(Path dir, long pid, String host, Instant updated) throws Exception {
        Path file = dir.resolve("progress.json");
        Files.writeString(file, """
                {"pid": %d, "host": "%s", "updated_at": "%s", "queries": {
                  "created_users": {"state": "active"}}}
                """.formatted(pid, host, updated));
        return file;
    }

    @Test
    void aJobOnThisHostIsHealthyWhileItsDriverLives(@TempDir Path dir) throws Exception {
        Path file = progress(dir, ProcessHandle.current().pid(), JobProgress.localHost(), Instant.now());
        assertThat(JobProgress.health(file)).isEqualTo("no batch yet");
    }

    @Test
    void aJobOnAnotherHostIsHealthyWhileItReportsAndNotWhenItFallsSilent(@TempDir Path dir) throws Exception {
        // pid 1 on another host (a driver's container) says nothing about this host's pid 1.
        assertThat(JobProgress.health(progress(dir, 1, "stream", Instant.now().minusSeconds(5)))).isEqualTo("no batch yet");
        Path silent = progress(dir, 1, "stream", Instant.now().minus(JobProgress.STALE).minus(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> JobProgress.health(silent))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the job on stream last reported");
    }
}
