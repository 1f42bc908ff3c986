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
        PidFile self = PidFile.of(ProcessHandle.current());
        PidFile old = new PidFile(self.pid(), 1_000, self.startTicks() - 1, self.bootId());
        assertThat(old.live()).isEmpty();
        PidFile otherBoot = new PidFile(self.pid(), self.startMillis(), self.startTicks(), "another-boot");
        assertThat(otherBoot.live()).isEmpty();
        PidFile writtenBeforeTicksWereKept = new PidFile(self.pid(), 1_000, -1, "");
        assertThat(writtenBeforeTicksWereKept.live()).isEmpty();
    }

    @Test
    void theServiceIsKnownAgainAfterTheWallClockWasStepped() {
        PidFile self = PidFile.of(ProcessHandle.current());
        assertThat(self.startTicks()).as("Linux gives the start in ticks since boot").isPositive();
        // What a reading of the start instant gives after the clock moved 9 s: the ticks still match.
        PidFile afterAStep = new PidFile(self.pid(), self.startMillis() - 9_000, self.startTicks(), self.bootId());
        assertThat(afterAStep.live()).map(ProcessHandle::pid).contains(self.pid());
    }

    @Test
    void aFileOfTwoLinesFromAnEarlierVersionStillReads(@TempDir Path dir) throws Exception {
        PidFile self = PidFile.of(ProcessHandle.current());
        Path file = Files.writeString(dir.resolve("old.pid"), self.pid() + "\n" + self.startMillis() + "\n");
        assertThat(PidFile.read(file).flatMap(PidFile::live)).map(ProcessHandle::pid).contains(self.pid());
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
