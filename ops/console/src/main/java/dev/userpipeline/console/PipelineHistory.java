package dev.userpipeline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flow over the last hour, in memory: every few seconds the stages' counts (and their rates since the sample
 * before), the Spark job's lag per partition, the slot's lag and the latency of recently written users. What the
 * console's charts draw; {@code GET /api/history} answers it.
 */
final class PipelineHistory {

    /** One moment of the flow; a value that could not be read is null. */
    record Sample(Instant at, Map<String, Long> counts, Map<String, Double> rates, Map<Integer, Long> jobLag, Long slotBytes,
            RecentLatency.Latency latency) {

        Long jobLagTotal() {
            return jobLag == null ? null : jobLag.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static final Duration KEPT = Duration.ofMinutes(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Duration kept;

    PipelineHistory() {
        this(KEPT);
    }

    PipelineHistory(Duration kept) {
        this.kept = kept;
    }

    /** Adds a sample of these counters, the rates taken against the sample before; drops what is older than kept. */
    synchronized Sample add(Instant at, List<FlowCounters.Counter> counters, FlowCounters.Lag lag, RecentLatency.Latency latency) {
        Sample before = samples.peekLast();
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Double> rates = new TreeMap<>();
        for (FlowCounters.Counter counter : counters) {
            if (counter.value() == null) {
                continue;
            }
            counts.put(counter.stage(), counter.value());
            if (before != null && before.counts().containsKey(counter.stage())) {
                double seconds = Duration.between(before.at(), at).toMillis() / 1000.0;
                long grown = counter.value() - before.counts().get(counter.stage());
                // A counter that went down was reset (a purged stack): no rate rather than a negative one.
                if (seconds > 0 && grown >= 0) {
                    rates.put(counter.stage(), grown / seconds);
                }
            }
        }
        Sample sample = new Sample(at, counts, rates, lag.jobError() == null ? lag.jobPartitions() : null, lag.slotBytes(), latency);
        samples.addLast(sample);
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(at.minus(kept))) {
            samples.removeFirst();
        }
        return sample;
    }

    synchronized List<Sample> since(Instant from) {
        return samples.stream().filter(s -> !s.at().isBefore(from)).toList();
    }

    /** The samples since {@code from} as columns, the shape charts take: times, then one array per series. */
    ObjectNode toJson(Instant from) {
        List<Sample> list = since(from);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode times = root.putArray("times");
        ObjectNode rates = root.putObject("rates");
        ObjectNode counts = root.putObject("counts");
        ArrayNode lagTotal = root.putArray("jobLag");
        ObjectNode lagPartitions = root.putObject("jobLagPartitions");
        ArrayNode slot = root.putArray("slotLagBytes");
        ArrayNode p50 = root.putArray("latencyP50Millis");
        ArrayNode p99 = root.putArray("latencyP99Millis");
        List<String> stages = list.stream().flatMap(s -> s.counts().keySet().stream()).distinct().toList();
        List<Integer> partitions = list.stream().filter(s -> s.jobLag() != null).flatMap(s -> s.jobLag().keySet().stream()).distinct().sorted().toList();
        stages.forEach(stage -> {
            rates.putArray(stage);
            counts.putArray(stage);
        });
        partitions.forEach(p -> lagPartitions.putArray(Integer.toString(p)));
        for (Sample s : list) {
            times.add(s.at().toEpochMilli() / 1000.0);
            for (String stage : stages) {
                addOrNull((ArrayNode) rates.get(stage), s.rates().get(stage));
                addOrNull((ArrayNode) counts.get(stage), s.counts().get(stage));
            }
            addOrNull(lagTotal, s.jobLagTotal());
            for (Integer p : partitions) {
                addOrNull((ArrayNode) lagPartitions.get(Integer.toString(p)), s.jobLag() == null ? null : s.jobLag().get(p));
            }
            addOrNull(slot, s.slotBytes());
            addOrNull(p50, s.latency() == null ? null : s.latency().p50());
            addOrNull(p99, s.latency() == null ? null : s.latency().p99());
        }
        return root;
    }

    private static void addOrNull(ArrayNode array, Number value) {
        if (value == null) {
            array.addNull();
        } else if (value instanceof Double d) {
            array.add(Math.round(d * 10) / 10.0);
        } else {
            array.add(value.longValue());
        }
    }
}
