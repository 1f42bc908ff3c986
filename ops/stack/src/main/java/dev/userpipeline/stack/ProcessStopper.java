package dev.userpipeline.stack;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process as its own init system would: SIGTERM, a grace period, then SIGKILL. */
final class ProcessStopper {

    private ProcessStopper() {
    }

    /** Returns true if the process had to be killed. */
    static boolean terminate(ProcessHandle process, Duration timeout) {
        if (!process.isAlive()) {
            return false;
        }
        process.destroy();
        if (awaitExit(process, timeout)) {
            return false;
        }
        kill(process);
        return true;
    }

    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(10));
    }

    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
