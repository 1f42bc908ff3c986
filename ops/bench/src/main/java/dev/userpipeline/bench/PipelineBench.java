package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.ServiceAddresses;
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
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackListener;
import dev.userpipeline.stream.StreamSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code pipeline bench}: the whole pipeline measured the same way every time — end-to-end throughput,
 * fetch-to-Cassandra latency at fixed rates, each stage's ceiling alone, and what each service used.
 */
public final class PipelineBench {

    static final int WARM_UP = 20_000;

    /** What to measure: the command's options. */
    public record Plan(int count, List<Integer> rates, int seconds, int timeoutSeconds, boolean noRecord) {
    }

    private final Settings settings;
    private final Path root;
    private final PrintWriter out;
    private final BenchTarget target;
    private final int count;
    private final List<Integer> rates;
    private final int seconds;
    private final int timeoutSeconds;
    private final boolean noRecord;

    public PipelineBench(Plan plan, BenchTarget target) {
        this.target = target;
        this.settings = target.settings();
        this.root = target.root();
        this.out = target.out();
        this.count = plan.count();
        this.rates = plan.rates();
        this.seconds = plan.seconds();
        this.timeoutSeconds = plan.timeoutSeconds();
        this.noRecord = plan.noRecord();
    }

    /** Runs the measurements and prints (and, unless told not to, records) their figures; returns the exit code. */
    public int run() throws Exception {
        Settings original = settings;
        // Nothing but the bench may ingest: the DAG paused, continuous ingestion off, while it runs.
        Settings quiet = original.with(IngestSettings.RATE, "0", "bench").with(AirflowSettings.DAG_PAUSED, "true", "bench");
        Stack stack = new Stack(quiet, root);
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
        stack.up(target.progress().apply(stack.serviceNames()));

        BenchReport report = new BenchReport(count, seconds, Runtime.getRuntime().availableProcessors());
        try (ServiceSampler sampler = new ServiceSampler(stack)) {
            run(stack, quiet, report, sampler, out);
            report.usage(sampler.usage());
        } finally {
            if (wasUp) {
                out.println("Restoring the stack as it was (Airflow's DAG, continuous ingestion) ...");
                new Stack(original, root).up(StackListener.SILENT);
            } else {
                out.println("The stack stays up, ingesting nothing by itself; `./pipeline down` stops it.");
            }
        }
        report.print(out);
        if (!noRecord) {
            report.write(root.resolve("bench/results")).forEach(file -> out.println("Wrote " + file));
        }
        return 0;
    }

    private void run(Stack stack, Settings settings, BenchReport report, ServiceSampler sampler, PrintWriter out) throws Exception {
        SourceChoice choice = SourceChoice.resolve(settings);
        report.source(choice.describe());
        RandomUserClient client = choice.client(settings);
        int pageSize = Math.min(settings.get(IngestSettings.BATCH_SIZE), count);
        String bootstrap = settings.get(ServiceAddresses.KAFKA);
        List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
        try (CqlSession cassandra = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA), Duration.ofSeconds(60), true)) {
            String keyspace = settings.get(StreamSettings.KEYSPACE);
            step(out, "warm-up: %,d users through the whole pipeline", WARM_UP);
            long topicBefore = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            String warm = seed("warm");
            new IngestJob(client, RandomUserQuery.of(5_000, warm, 1), WARM_UP, warm, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, topicBefore + WARM_UP, out);

            // (c) Each stage alone.
            step(out, "fetch alone: %,d users from the source, discarded", count);
            String fetchOnly = seed("fetch");
            long fetchStart = System.currentTimeMillis();
            IngestProgress fetched = new IngestJob(client, RandomUserQuery.of(pageSize, fetchOnly, 1), count, fetchOnly, "bench")
                    .run(List.of(BatchSink.DISCARD), p -> { });
            report.ceiling("fetch", fetched.fetched(), fetched.elapsed().toNanos() / 1e9,
                    sampler.cpuSecondsBetween(fetchStart, System.currentTimeMillis()));

            step(out, "land alone: %,d users from memory into PostgreSQL, change data capture stopped", count);
            stack.stop(List.of("stream"), StackListener.SILENT);
            CdcDrain cdc = new CdcDrain(settings, bootstrap);
            String landBatch = seed("land");
            topicBefore = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            long landStart = System.currentTimeMillis();
            IngestProgress landed = cdc.land(client, pageSize, writers, count, landBatch);
            report.ceiling("land", landed.inserted(), landed.elapsed().toNanos() / 1e9,
                    sampler.cpuSecondsBetween(landStart, System.currentTimeMillis()));

            step(out, "CDC alone: the %,d landed users into users_created, the Spark job stopped", count);
            CdcDrain.Result drained = cdc.stream(landed, landBatch, Duration.ofSeconds(timeoutSeconds));
            report.ceiling("CDC", drained.events(), drained.seconds(),
                    sampler.cpuSecondsBetween(drained.first().toEpochMilli(), drained.last().toEpochMilli()));

            step(out, "Spark to Cassandra alone: the job restarted on a backlog of %,d users", count);
            stack.up(StackListener.SILENT);
            awaitJob(stack, bootstrap, topicBefore + landed.inserted(), out);
            List<RowTimings.Timing> backlog = timings(settings, cassandra, keyspace, landBatch);
            long firstWrite = backlog.stream().mapToLong(RowTimings.Timing::writtenMicros).min().orElse(0);
            long lastWrite = backlog.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElse(0);
            report.ceiling(BenchReport.SPARK_TO_CASSANDRA, backlog.size(), (lastWrite - firstWrite) / 1e6,
                    sampler.cpuSecondsBetween(firstWrite / 1000, lastWrite / 1000));

            step(out, "Cassandra alone: the same %,d rows written again by a plain driver writer into a scratch table", backlog.size());
            List<java.util.UUID> backlogIds = BatchDelivery.landed(settings, landBatch).ids();
            CassandraCeiling.Result ceiling = CassandraCeiling.run(cassandra, keyspace, settings.get(StreamSettings.REPLICATION_FACTOR), backlogIds);
            report.ceiling(BenchReport.CASSANDRA_ALONE, ceiling.rows(), ceiling.seconds(),
                    sampler.cpuSecondsBetween(ceiling.startMillis(), ceiling.endMillis()));

            // (a) End to end, as fast as the source and the landing go.
            step(out, "end to end: %,d users fetched and landed as fast as possible, until the last is in Cassandra", count);
            String burst = seed("burst");
            topicBefore = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
            long begin = micros(Instant.now());
            IngestProgress ingested = new IngestJob(client, RandomUserQuery.of(pageSize, burst, 1), count, burst, "bench").run(writers, p -> { });
            awaitJob(stack, bootstrap, topicBefore + ingested.inserted(), out);
            List<RowTimings.Timing> whole = timings(settings, cassandra, keyspace, burst);
            long end = whole.stream().mapToLong(RowTimings.Timing::writtenMicros).max().orElse(begin);
            report.endToEnd(whole.size(), ingested.inserted(), (end - begin) / 1e6, ingested.elapsed().toNanos() / 1e9,
                    sampler.cpuSecondsBetween(begin / 1000, end / 1000));

            // (b) Latency at fixed rates.
            for (int rate : rates) {
                step(out, "latency at %,d users/s for %d s", rate, seconds);
                String steady = seed("rate" + rate);
                topicBefore = TopicSize.records(bootstrap, settings.get(StreamSettings.TOPIC));
                FixedRateFeed.run(client, writers.get(0), rate, seconds, steady);
                int landedAtRate = BatchDelivery.landed(settings, steady).size();
                awaitJob(stack, bootstrap, topicBefore + landedAtRate, out);
                report.latency(rate, landedAtRate / (double) seconds, timings(settings, cassandra, keyspace, steady));
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
        StreamBench.awaitJob(stack, bootstrap, settings.get(StreamSettings.TOPIC), topicEnd, timeoutSeconds, out);
    }

    private static String seed(String what) {
        return "bench-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
