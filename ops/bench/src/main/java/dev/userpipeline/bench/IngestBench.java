package dev.userpipeline.bench;

import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.BatchSink;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.ProcessMemory;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackListener;
import dev.userpipeline.stream.StreamSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** {@code pipeline bench ingest}: users/s of fetching alone and of fetching and landing, against a running stack. */
public final class IngestBench {

    /** What to measure: the command's options. */
    public record Plan(long count, int rounds, boolean cdc, int cdcRate, int cdcSeconds, boolean noRecord) {
    }

    private final Settings settings;
    private final Path root;
    private final PrintWriter out;
    private final long count;
    private final int rounds;
    private final boolean cdc;
    private final int cdcRate;
    private final int cdcSeconds;
    private final boolean noRecord;

    public IngestBench(Plan plan, BenchTarget target) {
        this.settings = target.settings();
        this.root = target.root();
        this.out = target.out();
        this.count = plan.count();
        this.rounds = plan.rounds();
        this.cdc = plan.cdc();
        this.cdcRate = plan.cdcRate();
        this.cdcSeconds = plan.cdcSeconds();
        this.noRecord = plan.noRecord();
    }

    /** Runs the measurements and prints (and, unless told not to, records) their figures; returns the exit code. */
    public int run() throws Exception {
        Stack stack = new Stack(settings, root);
        // The Spark job reads users_created as it fills: stopped, it leaves the two cores to the stages measured.
        boolean jobRan = stack.process("stream").isPresent();
        if (jobRan) {
            out.println("Stopping the Spark job while ingestion and change data capture are measured; it is started again after.");
            out.flush();
            stack.stop(List.of("stream"), StackListener.SILENT);
        }
        try {
            return measure(out, stack);
        } finally {
            if (jobRan) {
                out.println("Starting the Spark job again ...");
                out.flush();
                stack.up(StackListener.SILENT);
            }
        }
    }

    private int measure(PrintWriter out, Stack stack) throws Exception {
        SourceChoice choice = SourceChoice.resolve(settings);
        RandomUserClient client = choice.client(settings);
        int batch = settings.get(IngestSettings.BATCH_SIZE);
        out.printf(Locale.ROOT, "Ingestion benchmark: %,d users per round, batches of %,d, %d landing connections, source %s%n", count, batch,
                settings.get(IngestSettings.WRITERS), choice.describe());

        List<String> rows = new ArrayList<>();
        double bestFetch = 0;
        double bestLand = 0;
        double bestLandOnly = 0;
        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        try {
            for (int round = 1; round <= rounds; round++) {
                IngestProgress fetched = round(client, batch, List.of(BatchSink.DISCARD));
                bestFetch = Math.max(bestFetch, fetched.usersPerSecond());
                rows.add(row("fetch only", round, fetched));
                out.println(rows.get(rows.size() - 1));
                IngestProgress landOnly = landOnly(client, batch, writers, count, "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
                rows.add(row("land only", round, landOnly));
                out.println(rows.get(rows.size() - 1));
                bestLandOnly = Math.max(bestLandOnly, landOnly.usersPerSecond());
                IngestProgress landed = round(client, batch, writers);
                bestLand = Math.max(bestLand, landed.usersPerSecond());
                rows.add(row("fetch + land", round, landed));
                out.println(rows.get(rows.size() - 1));
            }
        } finally {
            IngestRunner.closeAll(writers);
        }
        StringBuilder memory = new StringBuilder();
        for (String name : List.of("postgres", "offline-source")) {
            stack.process(name).ifPresent(p -> memory.append(String.format(Locale.ROOT, "%s %d MiB RSS, %.1f s CPU; ", name,
                    ProcessMemory.residentBytes(p) / (1024 * 1024), ProcessMemory.cpu(p).toMillis() / 1000.0)));
        }
        memory.append(String.format(Locale.ROOT, "launcher %d MiB heap used", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024)));
        String summary = String.format(Locale.ROOT, "best: fetch only %,.0f users/s, land only %,.0f users/s, fetch + land %,.0f users/s",
                bestFetch, bestLandOnly, bestLand);
        if (cdc) {
            summary += "\n" + cdc(settings, stack, client, batch, rows, out);
        }
        out.println(summary);
        out.println("memory and CPU after the run: " + memory);
        if (!noRecord) {
            record(rows, summary, memory.toString(), choice, batch);
        }
        return 0;
    }

    private IngestProgress round(RandomUserClient client, int batch, List<? extends BatchSink> sinks) throws Exception {
        String seed = "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        RandomUserQuery first = RandomUserQuery.of((int) Math.min(batch, count), seed, 1);
        return new IngestJob(client, first, count, seed, "bench").run(sinks, progress -> { });
    }

    /**
     * CDC throughput ({@code count} users landed with the connector stopped, events/s from the first in the
     * topic to the last after its resume) and latency at a fixed rate (per user, record timestamp minus
     * {@code ingested_at}).
     */
    private String cdc(Settings settings, Stack stack, RandomUserClient client, int batch, List<String> rows, PrintWriter out) throws Exception {
        String bootstrap = settings.get(ServiceAddresses.KAFKA);
        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        String result;
        try {
            String seed = "bench-cdc-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            CdcDrain drain = new CdcDrain(settings, bootstrap);
            IngestProgress landed = drain.land(client, batch, writers, count, seed);
            CdcDrain.Result drained;
            List<ServiceSampler.Usage> usage;
            try (ServiceSampler sampler = new ServiceSampler(stack)) {
                drained = drain.stream(landed, seed, java.time.Duration.ofMinutes(5));
                usage = sampler.usage();
            }
            rows.add(String.format(Locale.ROOT, "| %-12s | %d | %,d | %,d | %.2f | %,.0f |", "CDC drain", 1, landed.inserted(), drained.events(),
                    drained.seconds(), drained.eventsPerSecond()));
            out.println(rows.get(rows.size() - 1));
            result = String.format(Locale.ROOT, "CDC: %,d of %,d users landed with the connector stopped reached users_created after its resume, "
                    + "%,.0f events/s from the first in the topic to the last", drained.events(), landed.inserted(), drained.eventsPerSecond());
            String cpu = cpuPerEvent(usage, drained.events());
            out.println(cpu);
            result += "\n" + cpu;

            try (TopicWatch watch = new TopicWatch(bootstrap, settings.get(StreamSettings.TOPIC))) {
                String latencySeed = "bench-lat-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
                FixedRateFeed.run(client, writers.get(0), cdcRate, cdcSeconds, latencySeed);
                int expected = (int) Math.round(cdcRate * (double) cdcSeconds * 0.9);
                List<TopicWatch.Arrival> arrivals = watch.await(latencySeed, expected, java.time.Duration.ofSeconds(60));
                long[] latencies = arrivals.stream().mapToLong(TopicWatch.Arrival::latencyMillis).sorted().toArray();
                String line = String.format(Locale.ROOT, "CDC latency at %,d users/s (%,d users): p50 %d ms, p95 %d ms, p99 %d ms, max %d ms",
                        cdcRate, latencies.length, TopicWatch.percentile(latencies, 50), TopicWatch.percentile(latencies, 95),
                        TopicWatch.percentile(latencies, 99), TopicWatch.percentile(latencies, 100));
                out.println(line);
                result += "\n" + line;
            }
        } finally {
            IngestRunner.closeAll(writers);
        }
        return result;
    }

    /**
     * CPU time per event of each service that used any while the drain streamed: where the stage's cost is.
     * The drain's own reading of the topic afterwards is included (a small share of the broker's).
     */
    static String cpuPerEvent(List<ServiceSampler.Usage> usage, int events) {
        StringBuilder line = new StringBuilder("CDC CPU per event while draining:");
        double total = 0;
        for (ServiceSampler.Usage u : usage) {
            if (u.cpuSeconds() >= 0.05 && events > 0) {
                double millis = u.cpuSeconds() * 1e3 / events;
                total += millis;
                line.append(String.format(Locale.ROOT, " %s %.3f ms,", u.service(), millis));
            }
        }
        return line.append(String.format(Locale.ROOT, " total %.3f ms (%d cores here)", total,
                Runtime.getRuntime().availableProcessors())).toString();
    }

    /** Landing alone: the pages are fetched first, into memory, then landed by the writers at once. */
    static IngestProgress landOnly(RandomUserClient client, int batch, List<LandingTableWriter> writers, long count, String seed)
            throws Exception {
        List<dev.userpipeline.source.RandomUserPage> pages = java.util.Collections.synchronizedList(new ArrayList<>());
        RandomUserQuery first = RandomUserQuery.of((int) Math.min(batch, count), seed, 1);
        new IngestJob(client, first, count, seed, "bench").run(List.of((BatchSink) (page, b, s) -> {
            pages.add(page);
            return BatchSink.DISCARD.write(page, b, s);
        }), progress -> { });
        java.util.concurrent.atomic.AtomicLong landed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (LandingTableWriter writer : writers) {
            Thread t = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < pages.size(); i = next.getAndIncrement()) {
                    try {
                        landed.addAndGet(writer.write(pages.get(i), seed, "bench").inserted());
                    } catch (Exception e) {
                        failures.add(e);
                        return;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return new IngestProgress(count, count, landed.get(), count - landed.get(), 0, pages.size(),
                java.time.Duration.ofNanos(System.nanoTime() - begin), 0, 0, 0, 0);
    }

    private static String row(String what, int round, IngestProgress p) {
        return String.format(Locale.ROOT, "| %-12s | %d | %,d | %,d | %.2f | %,.0f |", what, round, p.fetched(), p.inserted(),
                p.elapsed().toNanos() / 1e9, p.usersPerSecond());
    }

    private void record(List<String> rows, String summary, String memory, SourceChoice choice, int batch) throws Exception {
        Path file = root.resolve("bench/results/ingest.md");
        Files.createDirectories(file.getParent());
        StringBuilder md = new StringBuilder();
        if (!Files.exists(file)) {
            md.append("# Ingestion benchmark results\n\nProduced by `./pipeline bench ingest`; the newest run is last.\n");
        }
        md.append("\n## ").append(LocalDate.now()).append(" — ").append(String.format(Locale.ROOT, "%,d users per round, batches of %,d, %s, %d cores\n\n",
                count, batch, choice.label(), Runtime.getRuntime().availableProcessors()));
        md.append("| measurement | round | users | landed | seconds | users/s |\n|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n').append(summary.replace("\n", "  \n")).append(".  \n").append(memory).append('\n');
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.println("Appended to " + file);
    }
}
