package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @Test
    void aLiveProcessIsFoundAgainFromItsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/self.pid");
        PidFile.of(ProcessHandle.current()).write(file);
        PidFile read = PidFile.read(file).orElseThrow();
        assertThat(read.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(read.live()).map(ProcessHandle::pid).contains(ProcessHandle.current().pid());
    }

    @Test
    void aReusedPidWithAnotherStartTimeIsNotTheService() {
        PidFile old = new PidFile(ProcessHandle.current().pid(), 1_000);
        assertThat(old.live()).isEmpty();
    }

    @Test
    void anExitedProcessIsNotAlive() throws Exception {
        Process process = new ProcessBuilder("true").start();
        PidFile record = PidFile.of(process.toHandle());
        process.waitFor();
        assertThat(record.live()).isEmpty();
    }

    @Test
    void aMissingOrBrokenFileReadsAsNothing(@TempDir Path dir) throws Exception {
        assertThat(PidFile.read(dir.resolve("absent.pid"))).isEmpty();
        Path broken = Files.writeString(dir.resolve("broken.pid"), "not a pid\n");
        assertThat(PidFile.read(broken)).isEmpty();
    }
}
