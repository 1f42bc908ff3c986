package dev.userpipeline.stack;

import java.time.Duration;
import java.util.OptionalLong;

/** What a live look at one service found. */
public record ServiceStatus(
        String name,
        State state,
        OptionalLong pid,
        String address,
        String detail,
        long residentBytes,
        Duration cpu,
        Duration uptime) {

    /** The states a service can be found in. */
    public enum State {
        /** The process is alive and answers its health check. */
        HEALTHY,
        /** The process is alive but does not answer (yet). */
        UNHEALTHY,
        /** No process. */
        STOPPED,
        /** No process, and none wanted: the service is not part of this configuration. */
        OFF
    }

    public boolean isHealthy() {
        return state == State.HEALTHY;
    }
}
