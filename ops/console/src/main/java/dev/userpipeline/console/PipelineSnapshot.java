package dev.userpipeline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.stack.ServiceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One look at the whole pipeline: every service as {@code pipeline status} shows it, and the flow counters
 * with their rates since the look before. This is what {@code GET /api/status} answers.
 */
record PipelineSnapshot(Instant takenAt, Duration took, Path home, List<ServiceStatus> services, List<Stage> stages, FlowCounters.Lag lag) {

    /** A look without the lag read, at a stack of no known work directory. */
    PipelineSnapshot(Instant takenAt, Duration took, List<ServiceStatus> services, List<Stage> stages) {
        this(takenAt, took, null, services, stages, FlowCounters.Lag.UNKNOWN);
    }

    /** A flow counter with its rate: how many per second since the previous snapshot, when both were read. */
    record Stage(FlowCounters.Counter counter, Double perSecond) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Pairs each counter with the same counter of {@code previous} (if any) to give its rate. */
    static List<Stage> withRates(List<FlowCounters.Counter> now, Instant at, PipelineSnapshot previous) {
        return now.stream().map(counter -> new Stage(counter, rate(counter, at, previous))).toList();
    }

    private static Double rate(FlowCounters.Counter counter, Instant at, PipelineSnapshot previous) {
        if (previous == null || counter.value() == null) {
            return null;
        }
        double seconds = Duration.between(previous.takenAt(), at).toMillis() / 1000.0;
        return previous.stages().stream()
                .filter(s -> s.counter().stage().equals(counter.stage()) && s.counter().value() != null)
                .findFirst()
                // A counter that went down was reset (a purged stack): no rate rather than a negative one.
                .filter(s -> seconds > 0 && counter.value() >= s.counter().value())
                .map(s -> (counter.value() - s.counter().value()) / seconds)
                .orElse(null);
    }

    /** Every service that is part of the stack answers its health check. */
    boolean healthy() {
        return services.stream().allMatch(s -> s.isHealthy() || s.state() == ServiceStatus.State.OFF);
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("takenAt", takenAt.toString());
        root.put("tookMillis", took.toMillis());
        root.put("healthy", healthy());
        // Which stack this is: `pipeline status` takes the look only from the console of its own work directory.
        root.put("home", home == null ? null : home.toAbsolutePath().normalize().toString());
        ArrayNode list = root.putArray("services");
        for (ServiceStatus s : services) {
            s.writeTo(list.addObject());
        }
        ArrayNode flow = root.putArray("stages");
        for (Stage stage : stages) {
            ObjectNode node = flow.addObject();
            node.put("stage", stage.counter().stage());
            node.put("what", stage.counter().what());
            if (stage.counter().value() != null) {
                node.put("count", stage.counter().value());
            } else {
                node.putNull("count");
            }
            if (stage.perSecond() != null) {
                node.put("perSecond", Math.round(stage.perSecond() * 10) / 10.0);
            } else {
                node.putNull("perSecond");
            }
            if (stage.counter().error() != null) {
                node.put("error", stage.counter().error());
            } else {
                node.putNull("error");
            }
        }
        ObjectNode lagNode = root.putObject("lag");
        ObjectNode job = lagNode.putObject("job");
        if (lag.job() != null) {
            job.put("records", lag.job());
            ObjectNode partitions = job.putObject("partitions");
            lag.jobPartitions().forEach((partition, behind) -> partitions.put(Integer.toString(partition), behind));
        } else {
            job.putNull("records");
            job.put("error", lag.jobError());
        }
        ObjectNode slot = lagNode.putObject("slot");
        if (lag.slotBytes() != null) {
            slot.put("bytes", lag.slotBytes());
        } else {
            slot.putNull("bytes");
            slot.put("error", lag.slotError());
        }
        return root;
    }
}
