package dev.userpipeline.console;

import dev.userpipeline.stack.ServiceStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's looks as Prometheus metrics ({@code GET /metrics}): each stage's counter and rate, the Spark job's
 * lag per partition and in all, the replication slot's lag, and each service's health, memory, CPU and restarts;
 * then the console's own JVM. Every value is the latest look's; a counter that could not be read keeps its last value.
 */
final class ConsoleMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The value behind each meter, by its name and tags: meters are registered once and read these. */
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    ConsoleMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gauge("pipeline.stream.lag", "records", "Records of the change topic the Spark job has not processed yet, all partitions");
        gauge("pipeline.connect.slot.lag", "bytes", "WAL the connector's replication slot has not confirmed yet");
        gauge("pipeline.look.duration", "seconds", "How long the console's latest look at the pipeline took");
    }

    /** Takes the values of a look. */
    synchronized void update(PipelineSnapshot look) {
        for (PipelineSnapshot.Stage stage : look.stages()) {
            String name = stage.counter().stage();
            String key = "pipeline.stage.records|" + name;
            if (!values.containsKey(key)) {
                values.put(key, 0.0);
                FunctionCounter.builder("pipeline.stage.records", values, v -> v.getOrDefault(key, 0.0))
                        .baseUnit("records").tag("stage", name).description("Users through each stage: " + stage.counter().what())
                        .register(registry);
                Gauge.builder("pipeline.stage.rate", values, v -> v.getOrDefault("pipeline.stage.rate|" + name, Double.NaN))
                        .baseUnit("records.per.second").tag("stage", name).description("Users per second through each stage, since the look before")
                        .register(registry);
            }
            if (stage.counter().value() != null) {
                values.put(key, stage.counter().value().doubleValue());
            }
            values.put("pipeline.stage.rate|" + name, stage.perSecond() == null ? Double.NaN : stage.perSecond());
        }
        FlowCounters.Lag lag = look.lag();
        values.put("pipeline.stream.lag", lag.job() == null ? Double.NaN : lag.job().doubleValue());
        lag.jobPartitions().forEach((partition, behind) -> {
            String key = "pipeline.stream.partition.lag|" + partition;
            if (values.put(key, behind.doubleValue()) == null) {
                Gauge.builder("pipeline.stream.partition.lag", values, v -> v.getOrDefault(key, Double.NaN)).baseUnit("records")
                        .tag("partition", Integer.toString(partition)).description("Records of one partition of the change topic the Spark job has not processed yet")
                        .register(registry);
            }
        });
        values.put("pipeline.connect.slot.lag", lag.slotBytes() == null ? Double.NaN : lag.slotBytes().doubleValue());
        values.put("pipeline.look.duration", look.took().toMillis() / 1000.0);
        for (ServiceStatus service : look.services()) {
            if (service.state() == ServiceStatus.State.OFF) {
                continue;
            }
            String name = service.name();
            if (!values.containsKey("pipeline.service.up|" + name)) {
                Gauge.builder("pipeline.service.up", values, v -> v.getOrDefault("pipeline.service.up|" + name, Double.NaN))
                        .tag("service", name).description("1 when the service answers its health check, 0 otherwise").register(registry);
                Gauge.builder("pipeline.service.memory", values, v -> v.getOrDefault("pipeline.service.memory|" + name, Double.NaN))
                        .baseUnit("bytes").tag("service", name).description("Resident memory of the service's process").register(registry);
                FunctionCounter.builder("pipeline.service.cpu", values, v -> v.getOrDefault("pipeline.service.cpu|" + name, 0.0))
                        .baseUnit("seconds").tag("service", name).description("CPU time of the service's process").register(registry);
                FunctionCounter.builder("pipeline.service.restarts", values, v -> v.getOrDefault("pipeline.service.restarts|" + name, 0.0))
                        .tag("service", name).description("Times the supervisor started the service again").register(registry);
            }
            values.put("pipeline.service.up|" + name, service.isHealthy() ? 1.0 : 0.0);
            values.put("pipeline.service.memory|" + name, (double) service.residentBytes());
            values.put("pipeline.service.cpu|" + name, service.cpu().toMillis() / 1000.0);
            values.put("pipeline.service.restarts|" + name, (double) service.restarts().count());
        }
    }

    /** Every metric in Prometheus' text format. */
    String scrape() {
        return registry.scrape();
    }

    private void gauge(String name, String unit, String description) {
        Gauge.builder(name, values, v -> v.getOrDefault(name, Double.NaN)).baseUnit(unit).description(description).register(registry);
    }
}
