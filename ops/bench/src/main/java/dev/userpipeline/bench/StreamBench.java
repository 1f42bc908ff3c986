package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.ProcessMemory;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stream.JobProgress;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code pipeline bench stream}: the Spark job's rows/s into Cassandra, and per-row latency from the topic
 * (the Kafka record's timestamp) to Cassandra (the row's write time), at a fixed rate.
 */
public final class StreamBench {

    static final int WARM_UP = 20_000;

    /** What to measure: the command's options. */
    public record Plan(int count, int rate, int seconds, int timeoutSeconds, boolean noRecord) {
    }

    private final Settings settings;
    private final Path root;
    private final PrintWriter out;
    private final int count;
    private final int rate;
    private final int seconds;
    private final int timeoutSeconds;
    private final boolean noRecord;

    public StreamBench(Plan plan, BenchTarget target) {
        this.settings = target.settings();
        this.root = target.root();
        this.out = target.out();
        this.count = plan.count();
        this.rate = plan.rate();
        this.seconds = plan.seconds();
        this.timeoutSeconds = plan.timeoutSeconds();
        this.noRecord = plan.noRecord();
    }

    /** Runs the measurements and prints (and, unless told not to, records) their figures; returns the exit code. */
    public int run() throws Exception {
        Stack stack = new Stack(settings, root);
        if (!stack.statusOf(stack.service("stream").orElseThrow()).isHealthy()) {
            out.println("The Spark job is not running healthy. Start the stack with `./pipeline up --detach --no-ingest`, "
                    + "check it with `./pipeline status`, then run the benchmark again.");
            return 3;
        }
        SourceChoice choice = SourceChoice.resolve(settings);
        RandomUserClient client = choice.client(settings);
        String bootstrap = settings.get(ServiceAddresses.KAFKA);
        out.printf(Locale.ROOT, "Spark job benchmark: a burst of %,d users, then %,d users/s for %d s, source %s, %d cores%n",
                count, rate, seconds, choice.describe(), Runtime.getRuntime().availableProcessors());

        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        List<String> lines = new ArrayList<>();
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        try (CqlSession cassandra = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA),
                Duration.ofSeconds(60))) {
            // Warm-up: the job's first batches compile code and open connections; that is not its speed.
            String warm = "bench-stream-warm-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicAtWarmUp = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            new IngestJob(client, RandomUserQuery.of(5_000, warm, 1), WARM_UP, warm, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, settings.get(StreamSettings.TOPIC), topicAtWarmUp + WARM_UP, timeoutSeconds, out);
            out.printf(Locale.ROOT, "warmed up with %,d users%n", WARM_UP);

            // Burst: land everything as fast as possible, then see how fast the job turns it into rows.
            String burst = "bench-stream-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicBefore = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            new IngestJob(client, RandomUserQuery.of(Math.min(settings.get(IngestSettings.BATCH_SIZE), count), burst, 1),
                    count, burst, "bench").run(writers, p -> { });
            out.printf(Locale.ROOT, "landed %,d users; waiting for the job ...%n", count);
            awaitJob(stack, bootstrap, settings.get(StreamSettings.TOPIC), topicBefore + count, timeoutSeconds, out);
            List<RowTimings.Timing> burstRows = RowTimings.of(cassandra, keyspace, BatchDelivery.landed(settings, burst).ids());
            long firstPublished = burstRows.stream().mapToLong(RowTimings.Timing::publishedMicros).min().orElseThrow();
            long lastWritten = burstRows.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElseThrow();
            double span = (lastWritten - firstPublished) / 1e6;
            lines.add(String.format(Locale.ROOT, "burst: %,d of %,d users in created_users, %.1f s from the first in the topic to the last written: %,.0f rows/s",
                    burstRows.size(), count, span, burstRows.size() / span));
            out.println(lines.get(lines.size() - 1));

            // Fixed rate: the latency of each row from the topic to Cassandra.
            String steady = "bench-stream-lat-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicAtStart = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            FixedRateFeed.run(client, writers.get(0), rate, seconds, steady);
            List<java.util.UUID> steadyIds = BatchDelivery.landed(settings, steady).ids();
            awaitJob(stack, bootstrap, settings.get(StreamSettings.TOPIC), topicAtStart + steadyIds.size(), timeoutSeconds, out);
            List<RowTimings.Timing> steadyRows = RowTimings.of(cassandra, keyspace, steadyIds);
            long[] fromTopic = steadyRows.stream().mapToLong(t -> (t.writtenMicros() - t.publishedMicros()) / 1000).sorted().toArray();
            long[] fromFetch = steadyRows.stream().mapToLong(RowTimings.Timing::fetchToCassandraMillis).sorted().toArray();
            lines.add(String.format(Locale.ROOT, "latency at %,d users/s (%,d rows), topic to Cassandra: p50 %,d ms, p95 %,d ms, p99 %,d ms, max %,d ms",
                    rate, fromTopic.length, TopicWatch.percentile(fromTopic, 50), TopicWatch.percentile(fromTopic, 95), TopicWatch.percentile(fromTopic, 99), TopicWatch.percentile(fromTopic, 100)));
            out.println(lines.get(lines.size() - 1));
            lines.add(String.format(Locale.ROOT, "latency at %,d users/s, fetch to Cassandra (whole pipeline): p50 %,d ms, p95 %,d ms, p99 %,d ms, max %,d ms",
                    rate, TopicWatch.percentile(fromFetch, 50), TopicWatch.percentile(fromFetch, 95), TopicWatch.percentile(fromFetch, 99), TopicWatch.percentile(fromFetch, 100)));
            out.println(lines.get(lines.size() - 1));
        } finally {
            IngestRunner.closeAll(writers);
        }

        StringBuilder memory = new StringBuilder("memory and CPU after the run: ");
        for (String name : List.of("stream", "cassandra", "kafka", "connect", "postgres")) {
            stack.process(name).ifPresent(p -> memory.append(String.format(Locale.ROOT, "%s %,d MiB RSS, %.0f s CPU; ", name,
                    ProcessMemory.residentBytes(p) / (1024 * 1024), ProcessMemory.cpu(p).toMillis() / 1000.0)));
        }
        lines.add(memory.toString().replaceAll("; $", ""));
        out.println(lines.get(lines.size() - 1));
        if (!noRecord) {
            record(lines, choice);
        }
        return 0;
    }

    /** Waits until the users query has committed every offset up to {@code topicEnd}, once CDC has written them. */
    static void awaitJob(Stack stack, String bootstrap, String topic, long topicEnd, int timeoutSeconds, PrintWriter out) throws Exception {
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        Instant nextNote = Instant.now().plusSeconds(10);
        while (true) {
            long inTopic = TopicSize.records(bootstrap, topic);
            long committed = JobProgress.latest(stack.home(), StreamContract.CREATED_USERS).map(JobProgress::committedOffsets).orElse(0L);
            if (inTopic >= topicEnd && committed >= inTopic) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "Gave up after %d s: %s holds %,d of the %,d records "
                        + "expected, the job has committed %,d. See ./pipeline status and ./pipeline logs stream.", timeoutSeconds, topic, inTopic,
                        topicEnd, committed));
            }
            if (Instant.now().isAfter(nextNote)) {
                out.printf(Locale.ROOT, "  topic %,d/%,d, job committed %,d%n", inTopic, topicEnd, committed);
                out.flush();
                nextNote = Instant.now().plusSeconds(10);
            }
            Thread.sleep(250);
        }
    }

    private void record(List<String> lines, SourceChoice choice) throws Exception {
        Path file = root.resolve("bench/results/stream.md");
        Files.createDirectories(file.getParent());
        StringBuilder md = new StringBuilder();
        if (!Files.exists(file)) {
            md.append("# Spark job benchmark results\n\nProduced by `./pipeline bench stream`; the newest run is last.\n");
        }
        md.append("\n## ").append(LocalDate.now()).append(String.format(Locale.ROOT,
                " — burst of %,d users, then %,d users/s for %d s, %s, %d cores\n\n", count, rate, seconds, choice.label(),
                Runtime.getRuntime().availableProcessors()));
        lines.forEach(line -> md.append("- ").append(line).append('\n'));
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.println("Appended to " + file);
    }
}
