package dev.userpipeline.bench;

import dev.userpipeline.stack.ProcessMemory;
import dev.userpipeline.stack.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches every service during a benchmark, once a second: its peak resident memory (children
 * included) and the CPU time it used meanwhile, summed over its processes when it was restarted.
 */
final class ServiceSampler implements AutoCloseable {

    /** What one service used during the run. */
    record Usage(String service, double cpuSeconds, long peakRssBytes) {
    }

    /** One process of a service: its CPU time when first seen and when last seen. */
    private static final class Seen {
        final Duration first;
        Duration last;

        Seen(Duration first) {
            this.first = first;
            this.last = first;
        }
    }

    private final Stack stack;
    private final Map<String, Map<Long, Seen>> processes = new LinkedHashMap<>();
    private final Map<String, Long> peak = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    ServiceSampler(Stack stack) {
        this.stack = stack;
        for (String name : stack.serviceNames()) {
            processes.put(name, new LinkedHashMap<>());
        }
        sampleOnce(true);
        sampler = new Thread(this::sample, "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            sampleOnce(false);
        }
    }

    private synchronized void sampleOnce(boolean atStart) {
        for (Map.Entry<String, Map<Long, Seen>> service : processes.entrySet()) {
            stack.process(service.getKey()).ifPresent(p -> {
                Duration cpu = ProcessMemory.cpu(p);
                // A process that appears later (a restart) used all of its CPU during the run.
                service.getValue().computeIfAbsent(p.pid(), pid -> new Seen(atStart ? cpu : Duration.ZERO)).last = cpu;
                peak.merge(service.getKey(), ProcessMemory.residentBytes(p), Math::max);
            });
        }
    }

    /** Each service that ran: CPU seconds used since the sampler started and peak RSS, heaviest CPU first. */
    synchronized List<Usage> usage() {
        sampleOnce(false);
        List<Usage> usage = new ArrayList<>();
        processes.forEach((name, seen) -> {
            if (!seen.isEmpty()) {
                double cpu = seen.values().stream().mapToLong(s -> s.last.minus(s.first).toMillis()).sum() / 1000.0;
                usage.add(new Usage(name, cpu, peak.getOrDefault(name, 0L)));
            }
        });
        usage.sort((a, b) -> Double.compare(b.cpuSeconds(), a.cpuSeconds()));
        return usage;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
