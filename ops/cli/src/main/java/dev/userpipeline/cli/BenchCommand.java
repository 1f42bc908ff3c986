package dev.userpipeline.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.ingest.BatchSink;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.CassandraSessions;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackListener;
import dev.userpipeline.stack.StreamProgress;
import dev.userpipeline.stack.TopicSize;
import dev.userpipeline.stream.StreamSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
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
 * {@code pipeline bench}: the whole pipeline measured the same way every time — end-to-end throughput,
 * fetch-to-Cassandra latency at fixed rates, each stage's ceiling alone, and what each service used.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {IngestBenchCommand.class, StreamBenchCommand.class},
        description = {
            "Measures the whole pipeline, from fetch to Cassandra.",
            "",
            "(a) end to end: --count users ingested as fast as possible, seconds until the last is written in Cassandra;",
            "(b) latency at fixed rates (--rates, --seconds each): per user, Cassandra write time minus fetch time;",
            "(c) each stage's ceiling alone: fetch, land (CDC stopped), CDC (the job stopped), Spark to Cassandra (a backlog);",
            "(d) CPU seconds and peak resident memory of every service during the run.",
            "",
            "Runs against the stack that is up, or starts one. Nothing else ingests meanwhile: Airflow's DAG is paused "
                    + "and continuous ingestion stopped, and both are restored after. Writes bench/results/<date>.md, "
                    + ".csv, .json and -latency.svg.",
            "`pipeline bench ingest` and `pipeline bench stream` measure single stages in more detail."
        })
final class BenchCommand implements Callable<Integer> {

    static final int WARM_UP = 20_000;

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100000",
            description = "Users of the end-to-end run and of each stage's ceiling (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rates", paramLabel = "USERS_PER_S", split = ",", defaultValue = "100,1000,10000",
            description = "Fixed rates of the latency runs (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "15", description = "Length of each fixed-rate run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "600",
            description = "Longest wait for one measurement's users to reach Cassandra (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-record", description = "Print only; do not write bench/results/.")
    boolean noRecord;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings original = options.settings();
        // Nothing but the bench may ingest: the DAG paused, continuous ingestion off, while it runs.
        Settings quiet = original.with(IngestSettings.RATE, "0", "bench").with(AirflowSettings.DAG_PAUSED, "true", "bench");
        Stack stack = new Stack(quiet, options.root());
        if (!stack.service("stream").map(stack::enabled).orElse(false)) {
            out.println("The bench measures the Spark job that the stack runs, and this stack runs none (spark.job=false).");
            return 2;
        }
        boolean wasUp = stack.serviceNames().stream().filter(name -> stack.service(name).map(stack::enabled).orElse(false))
                .allMatch(name -> stack.process(name).isPresent());
        boolean ingestRan = stack.process("ingest").isPresent();
        out.println(wasUp ? "Pausing what ingests by itself (Airflow's DAG, continuous ingestion) ..." : "Starting the stack ...");
        out.flush();
        if (ingestRan) {
            stack.stop(List.of("ingest"), StackListener.SILENT);
        }
        stack.up(new ProgressView(out, false, stack.serviceNames()));

        BenchReport report = new BenchReport(count, seconds, Runtime.getRuntime().availableProcessors());
        try (ServiceSampler sampler = new ServiceSampler(stack)) {
            run(stack, quiet, report, out);
            report.usage(sampler.usage());
        } finally {
            if (wasUp) {
                out.println("Restoring the stack as it was (Airflow's DAG, continuous ingestion) ...");
                new Stack(original, options.root()).up(StackListener.SILENT);
            } else {
                out.println("The stack stays up, ingesting nothing by itself; `./pipeline down` stops it.");
            }
        }
        report.print(out);
        if (!noRecord) {
            report.write(options.root().resolve("bench/results")).forEach(file -> out.println("Wrote " + file));
        }
        return 0;
    }

    private void run(Stack stack, Settings settings, BenchReport report, PrintWriter out) throws Exception {
        SourceChoice choice = SourceChoice.resolve(settings);
        report.source(choice.describe());
        RandomUserClient client = choice.client(settings);
        int pageSize = Math.min(settings.get(IngestSettings.BATCH_SIZE), count);
        String bootstrap = settings.get(KafkaSettings.HOST) + ":" + settings.get(KafkaSettings.PORT);
        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        try (CqlSession cassandra = CassandraSessions.open(settings.get(CassandraSettings.HOST), settings.get(CassandraSettings.PORT),
                Duration.ofSeconds(60))) {
            String keyspace = settings.get(StreamSettings.KEYSPACE);
            step(out, "warm-up: %,d users through the whole pipeline", WARM_UP);
            long topicBefore = TopicSize.records(bootstrap, ConnectSettings.CDC_TOPIC);
            String warm = seed("warm");
            new IngestJob(client, RandomUserQuery.of(5_000, warm, 1), WARM_UP, warm, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, topicBefore + WARM_UP, out);

            // (c) Each stage alone.
            step(out, "fetch alone: %,d users from the source, discarded", count);
            String fetchOnly = seed("fetch");
            IngestProgress fetched = new IngestJob(client, RandomUserQuery.of(pageSize, fetchOnly, 1), count, fetchOnly, "bench")
                    .run(List.of(BatchSink.DISCARD), p -> { });
            report.ceiling("fetch", fetched.fetched(), fetched.elapsed().toNanos() / 1e9);

            step(out, "land alone: %,d users from memory into PostgreSQL, change data capture stopped", count);
            stack.stop(List.of("stream"), StackListener.SILENT);
            CdcDrain cdc = new CdcDrain(settings, bootstrap);
            String landBatch = seed("land");
            topicBefore = TopicSize.records(bootstrap, ConnectSettings.CDC_TOPIC);
            IngestProgress landed = cdc.land(client, pageSize, writers, count, landBatch);
            report.ceiling("land", landed.inserted(), landed.elapsed().toNanos() / 1e9);

            step(out, "CDC alone: the %,d landed users into users_created, the Spark job stopped", count);
            CdcDrain.Result drained = cdc.stream(landed, landBatch, Duration.ofSeconds(timeoutSeconds));
            report.ceiling("CDC", drained.events(), drained.seconds());

            step(out, "Spark to Cassandra alone: the job restarted on a backlog of %,d users", count);
            stack.up(StackListener.SILENT);
            awaitJob(stack, bootstrap, topicBefore + landed.inserted(), out);
            List<RowTimings.Timing> backlog = timings(settings, cassandra, keyspace, landBatch);
            long firstWrite = backlog.stream().mapToLong(RowTimings.Timing::writtenMicros).min().orElse(0);
            long lastWrite = backlog.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElse(0);
            report.ceiling("Spark to Cassandra", backlog.size(), (lastWrite - firstWrite) / 1e6);

            // (a) End to end, as fast as the source and the landing go.
            step(out, "end to end: %,d users fetched and landed as fast as possible, until the last is in Cassandra", count);
            String burst = seed("burst");
            topicBefore = TopicSize.records(bootstrap, ConnectSettings.CDC_TOPIC);
            long begin = micros(Instant.now());
            IngestProgress ingested = new IngestJob(client, RandomUserQuery.of(pageSize, burst, 1), count, burst, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, topicBefore + ingested.inserted(), out);
            List<RowTimings.Timing> whole = timings(settings, cassandra, keyspace, burst);
            long end = whole.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElse(begin);
            report.endToEnd(whole.size(), ingested.inserted(), (end - begin) / 1e6, ingested.elapsed().toNanos() / 1e9);

            // (b) Latency at fixed rates.
            for (int rate : rates) {
                step(out, "latency at %,d users/s for %d s", rate, seconds);
                String steady = seed("rate" + rate);
                topicBefore = TopicSize.records(bootstrap, ConnectSettings.CDC_TOPIC);
                FixedRateFeed.run(client, writers.get(0), rate, seconds, steady);
                int landedAtRate = BatchDelivery.landed(settings, steady).size();
                awaitJob(stack, bootstrap, topicBefore + landedAtRate, out);
                long[] latencies = timings(settings, cassandra, keyspace, steady).stream()
                        .mapToLong(RowTimings.Timing::fetchToCassandraMillis).sorted().toArray();
                report.latency(rate, landedAtRate / (double) seconds, latencies);
            }
        } finally {
            IngestRunner.closeAll(writers);
        }
    }

    private static void step(PrintWriter out, String format, Object... args) {
        out.println(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "  " + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static List<RowTimings.Timing> timings(Settings settings, CqlSession cassandra, String keyspace, String batch) throws Exception {
        return RowTimings.of(cassandra, keyspace, BatchDelivery.landed(settings, batch).ids());
    }

    /** Waits until the job has committed every offset up to {@code topicEnd}, once CDC has written them. */
    private void awaitJob(Stack stack, String bootstrap, long topicEnd, PrintWriter out) throws Exception {
        StreamBenchCommand.awaitJob(stack, bootstrap, topicEnd, timeoutSeconds, out);
    }

    private static String seed(String what) {
        return "bench-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
