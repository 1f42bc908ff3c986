package dev.userpipeline.bench;

import dev.userpipeline.stack.ProcessMemory;
import dev.userpipeline.stack.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches every service during a benchmark, twice a second: its peak resident memory (children
 * included) and the CPU time it used meanwhile, summed over its processes when it was restarted. Each look is
 * kept with its time, so that the CPU a service spent within any stretch of the run (a stage, from its first
 * write to its last) is read afterwards, interpolated between looks.
 */
final class ServiceSampler implements AutoCloseable {

    /** What one service used during the run. */
    record Usage(String service, double cpuSeconds, long peakRssBytes) {
    }

    /** CPU milliseconds each service had used since the sampler started, at one time (epoch milliseconds). */
    record Look(long atMillis, Map<String, Long> cpuMillis) {
    }

    static final long INTERVAL_MILLIS = 500;

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
    private final List<Look> looks = new ArrayList<>();
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
                Thread.sleep(INTERVAL_MILLIS);
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
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, seen) -> cpu.put(name, cpuMillis(seen)));
        looks.add(new Look(System.currentTimeMillis(), cpu));
    }

    private static long cpuMillis(Map<Long, Seen> seen) {
        return seen.values().stream().mapToLong(s -> s.last.minus(s.first).toMillis()).sum();
    }

    /** CPU seconds each service spent between two times of the run; services that spent none are left out. */
    synchronized Map<String, Double> cpuSecondsBetween(long fromMillis, long toMillis) {
        sampleOnce(false);
        return between(looks, fromMillis, toMillis);
    }

    static Map<String, Double> between(List<Look> looks, long fromMillis, long toMillis) {
        Map<String, Double> spent = new LinkedHashMap<>();
        if (looks.isEmpty()) {
            return spent;
        }
        for (String service : looks.get(looks.size() - 1).cpuMillis().keySet()) {
            double seconds = (at(looks, service, toMillis) - at(looks, service, fromMillis)) / 1000.0;
            if (seconds > 0) {
                spent.put(service, seconds);
            }
        }
        return spent;
    }

    /** A service's CPU milliseconds at a time, linear between the two looks around it. */
    private static double at(List<Look> looks, String service, long millis) {
        Look before = looks.get(0);
        for (Look look : looks) {
            long cpu = look.cpuMillis().getOrDefault(service, 0L);
            if (look.atMillis() >= millis) {
                long span = look.atMillis() - before.atMillis();
                long previous = before.cpuMillis().getOrDefault(service, 0L);
                return span <= 0 ? cpu : previous + (cpu - previous) * (double) (millis - before.atMillis()) / span;
            }
            before = look;
        }
        return before.cpuMillis().getOrDefault(service, 0L);
    }

    /** Each service that ran: CPU seconds used since the sampler started and peak RSS, heaviest CPU first. */
    synchronized List<Usage> usage() {
        sampleOnce(false);
        List<Usage> usage = new ArrayList<>();
        processes.forEach((name, seen) -> {
            if (!seen.isEmpty()) {
                double cpu = cpuMillis(seen) / 1000.0;
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
