package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
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
        Duration uptime,
        Restarts restarts) {

    /** A look at a service the supervisor never had to start again. */
    public ServiceStatus(String name, State state, OptionalLong pid, String address, String detail, long residentBytes,
            Duration cpu, Duration uptime) {
        this(name, state, pid, address, detail, residentBytes, cpu, uptime, Restarts.NONE);
    }

    /** The states a service can be found in. */
    public enum State {
        /** The process is alive and answers its health check. */
        HEALTHY,
        /** The process is alive but does not answer (yet). */
        UNHEALTHY,
        /** No process. */
        STOPPED,
        /** No process: it kept dying, and the supervisor gave up starting it again. */
        FAILED,
        /** No process, and none wanted: the service is not part of this configuration. */
        OFF
    }

    public boolean isHealthy() {
        return state == State.HEALTHY;
    }

    /** This look as the fields of a JSON object, the one shape of {@code status --json} and the console's API. */
    public ObjectNode writeTo(ObjectNode node) {
        node.put("name", name);
        node.put("state", state.name().toLowerCase(Locale.ROOT));
        if (pid.isPresent()) {
            node.put("pid", pid.getAsLong());
        } else {
            node.putNull("pid");
        }
        node.put("address", address);
        node.put("detail", detail);
        node.put("memoryBytes", residentBytes);
        node.put("cpuSeconds", cpu.toMillis() / 1000.0);
        node.put("uptimeSeconds", uptime.toSeconds());
        restarts.writeTo(node);
        return node;
    }

    /** The look {@link #writeTo} wrote, read back (from the console's API, say). */
    public static ServiceStatus readFrom(JsonNode node) {
        JsonNode pid = node.path("pid");
        return new ServiceStatus(node.path("name").asText(), State.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT)),
                pid.isIntegralNumber() ? OptionalLong.of(pid.asLong()) : OptionalLong.empty(),
                node.path("address").asText(""), node.path("detail").asText(""), node.path("memoryBytes").asLong(0),
                Duration.ofMillis(Math.round(node.path("cpuSeconds").asDouble(0) * 1000)),
                Duration.ofSeconds(node.path("uptimeSeconds").asLong(0)), Restarts.readFrom(node));
    }
}
