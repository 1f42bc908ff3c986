package dev.userpipeline.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.CassandraSessions;
import dev.userpipeline.stack.ProcessMemory;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StreamProgress;
import dev.userpipeline.stack.TopicSize;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pipeline bench stream}: the Spark job's rows/s into Cassandra, and per-row latency from the topic
 * (the Kafka record's timestamp) to Cassandra (the row's write time), at a fixed rate.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {
            "Measures the Spark job: rows/s into Cassandra, and topic-to-Cassandra latency at a fixed rate.",
            "",
            "Runs against the stack that is up with its job (`./pipeline up --detach --no-ingest` first). A burst of "
                    + "--count users is landed as fast as possible; rows/s is their number over the time from the first "
                    + "one's arrival in users_created to the last one's write in Cassandra. Then users are landed at "
                    + "--rate for --seconds, and each row's latency is its Cassandra write time minus its Kafka record "
                    + "time. Prints a table and appends it to bench/results/stream.md."
        })
final class StreamBenchCommand implements Callable<Integer> {

    static final String TOPIC = "users_created";
    static final int WARM_UP = 20_000;

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100000", description = "Users in the burst (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rate", paramLabel = "USERS_PER_S", defaultValue = "1000", description = "Fixed rate of the latency run (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30", description = "Length of the latency run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "900", description = "Longest wait for the users to reach Cassandra (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-record", description = "Print only; do not append to bench/results/stream.md.")
    boolean noRecord;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = options.settings();
        Stack stack = options.stack();
        if (!stack.statusOf(stack.service("stream").orElseThrow()).isHealthy()) {
            out.println("The Spark job is not running healthy. Start the stack with `./pipeline up --detach --no-ingest`, "
                    + "check it with `./pipeline status`, then run the benchmark again.");
            return 3;
        }
        SourceChoice choice = SourceChoice.resolve(settings);
        RandomUserClient client = choice.client(settings);
        String bootstrap = settings.get(KafkaSettings.HOST) + ":" + settings.get(KafkaSettings.PORT);
        out.printf(Locale.ROOT, "Spark job benchmark: a burst of %,d users, then %,d users/s for %d s, source %s, %d cores%n",
                count, rate, seconds, choice.describe(), Runtime.getRuntime().availableProcessors());

        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        List<String> lines = new ArrayList<>();
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        try (CqlSession cassandra = CassandraSessions.open(settings.get(CassandraSettings.HOST), settings.get(CassandraSettings.PORT),
                Duration.ofSeconds(60))) {
            // Warm-up: the job's first batches compile code and open connections; that is not its speed.
            String warm = "bench-stream-warm-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicAtWarmUp = TopicSize.records(bootstrap, TOPIC);
            new IngestJob(client, RandomUserQuery.of(5_000, warm, 1), WARM_UP, warm, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, topicAtWarmUp + WARM_UP, timeoutSeconds, out);
            out.printf(Locale.ROOT, "warmed up with %,d users%n", WARM_UP);

            // Burst: land everything as fast as possible, then see how fast the job turns it into rows.
            String burst = "bench-stream-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicBefore = TopicSize.records(bootstrap, TOPIC);
            new IngestJob(client, RandomUserQuery.of(Math.min(settings.get(IngestSettings.BATCH_SIZE), count), burst, 1),
                    count, burst, "bench").run(writers, p -> { });
            out.printf(Locale.ROOT, "landed %,d users; waiting for the job ...%n", count);
            awaitJob(stack, bootstrap, topicBefore + count, timeoutSeconds, out);
            List<RowTimings.Timing> burstRows = RowTimings.of(cassandra, keyspace, BatchDelivery.landed(settings, burst).ids());
            long firstPublished = burstRows.stream().mapToLong(RowTimings.Timing::publishedMicros).min().orElseThrow();
            long lastWritten = burstRows.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElseThrow();
            double span = (lastWritten - firstPublished) / 1e6;
            lines.add(String.format(Locale.ROOT, "burst: %,d of %,d users in created_users, %.1f s from the first in the topic to the last written: %,.0f rows/s",
                    burstRows.size(), count, span, burstRows.size() / span));
            out.println(lines.get(lines.size() - 1));

            // Fixed rate: the latency of each row from the topic to Cassandra.
            String steady = "bench-stream-lat-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            long topicAtStart = TopicSize.records(bootstrap, TOPIC);
            FixedRateFeed.run(client, writers.get(0), rate, seconds, steady);
            List<java.util.UUID> steadyIds = BatchDelivery.landed(settings, steady).ids();
            awaitJob(stack, bootstrap, topicAtStart + steadyIds.size(), timeoutSeconds, out);
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
    static void awaitJob(Stack stack, String bootstrap, long topicEnd, int timeoutSeconds, PrintWriter out) throws Exception {
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        Instant nextNote = Instant.now().plusSeconds(10);
        while (true) {
            long inTopic = TopicSize.records(bootstrap, TOPIC);
            long committed = StreamProgress.latest(stack.home(), "created_users").map(StreamProgress::committedOffsets).orElse(0L);
            if (inTopic >= topicEnd && committed >= inTopic) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "Gave up after %d s: users_created holds %,d of the %,d records "
                        + "expected, the job has committed %,d. See ./pipeline status and ./pipeline logs stream.", timeoutSeconds, inTopic,
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
        Path file = options.root().resolve("bench/results/stream.md");
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
        spec.commandLine().getOut().println("Appended to " + file);
    }
}
