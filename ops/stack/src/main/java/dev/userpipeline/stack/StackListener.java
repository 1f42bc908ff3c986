package dev.userpipeline.stack;

import java.time.Duration;
import java.util.List;

/** What the stack reports while it starts and stops services; called from several threads. */
public interface StackListener {

    StackListener SILENT = new StackListener() {
    };

    default void note(String message) {
    }

    default void preparing(String service) {
    }

    default void started(String service, long pid) {
    }

    default void waiting(String service, Duration elapsed, String lastProblem) {
    }

    default void healthy(String service, Duration elapsed, String detail) {
    }

    default void alreadyRunning(String service, long pid, String detail) {
    }

    default void failed(String service, String reason, List<String> logTail) {
    }

    default void stopping(String service, long pid) {
    }

    default void stopped(String service, Duration elapsed, boolean killed) {
    }
}
