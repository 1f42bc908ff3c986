package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real stack for the whole integration-test run of this module, on ports of its own (so that it
 * never meets a stack a developer runs on the defaults) and in a work directory under target/.
 * It is started by the first test that asks and stopped, data deleted, when the run ends.
 */
final class TestStack implements AutoCloseable {

    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 19092;
    static final int KAFKA_CONTROLLER_PORT = 19093;
    static final int CASSANDRA_PORT = 19042;
    static final int CASSANDRA_STORAGE_PORT = 17000;
    static final int OFFLINE_PORT = 18099;
    static final int CONNECT_PORT = 18083;
    static final int SPARK_MASTER_PORT = 17077;
    static final int SPARK_MASTER_UI_PORT = 19090;
    static final int SPARK_WORKER_UI_PORT = 18081;
    static final int STREAM_UI_PORT = 14040;

    final Stack stack;
    final Settings settings;

    private TestStack() {
        Path root = RepoRoot.find();
        Path home = root.resolve("ops/stack/target/it-home");
        settings = StackSettings.derived(Settings.of(StackSettings.ALL).args(
                "--home=" + home,
                "--postgres-port=" + POSTGRES_PORT,
                "--kafka-port=" + KAFKA_PORT,
                "--kafka-controller-port=" + KAFKA_CONTROLLER_PORT,
                "--cassandra-port=" + CASSANDRA_PORT,
                "--cassandra-storage-port=" + CASSANDRA_STORAGE_PORT,
                "--offline-port=" + OFFLINE_PORT,
                "--connect-port=" + CONNECT_PORT,
                "--spark-master-port=" + SPARK_MASTER_PORT,
                "--spark-master-ui-port=" + SPARK_MASTER_UI_PORT,
                "--spark-worker-ui-port=" + SPARK_WORKER_UI_PORT,
                "--stream-ui-port=" + STREAM_UI_PORT,
                // The Spark job is started by the tests of the job (StreamIT), from the offsets they choose.
                "--spark-job=false",
                "--ingest-source=offline",
                // Tests decide every user that enters.
                "--ingest-rate=0",
                // Airflow is tested from the cli module, where the CLI its tasks run is built.
                "--airflow-enabled=false",
                // The console's module is built after this one; it is tested from the cli module.
                "--console-enabled=false",
                // These tests kill services and start them again themselves, each at the moment it chooses; the
                // supervisor is tested from the cli module (PipelineProcessIT).
                "--supervisor-enabled=false").resolve());
        stack = new Stack(settings, root);
        // A previous run that was killed may have left its processes; start from nothing.
        stack.down(true, StackListener.SILENT);
        stack.up(new PrintingListener());
    }

    /** Lands {@code users} users of one seed from the offline source, as one batch; returns its batch id. */
    String land(int users, String seed) throws Exception {
        String batch = "batch-" + seed;
        dev.userpipeline.ingest.SourceChoice source = dev.userpipeline.ingest.SourceChoice.resolve(settings);
        List<dev.userpipeline.ingest.LandingTableWriter> writers = dev.userpipeline.ingest.IngestRunner.openWriters(settings);
        try {
            dev.userpipeline.ingest.IngestProgress landed = new dev.userpipeline.ingest.IngestJob(source.client(settings),
                    dev.userpipeline.source.RandomUserQuery.of(5_000, seed, 1), users, batch, source.label()).run(writers, p -> { });
            if (landed.inserted() != users) {
                throw new AssertionError("landed " + landed.inserted() + " of " + users + " users of seed " + seed);
            }
        } finally {
            dev.userpipeline.ingest.IngestRunner.closeAll(writers);
        }
        return batch;
    }

    static TestStack shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(TestStack.class, key -> new TestStack(), TestStack.class);
    }

    static List<Integer> ports() {
        return List.of(POSTGRES_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT, CASSANDRA_PORT, CASSANDRA_STORAGE_PORT, OFFLINE_PORT, CONNECT_PORT);
    }

    /** Stops the stack; {@code -Dit.keep=true} keeps its work directory, logs included, for a look after a failure. */
    @Override
    public void close() {
        stack.down(!Boolean.getBoolean("it.keep"), new PrintingListener());
    }

    /** Progress on the test output, so a slow or failed start explains itself in the build log. */
    static final class PrintingListener implements StackListener {
        @Override
        public void note(String message) {
            System.out.println("[stack] " + message);
        }

        @Override
        public void started(String service, long pid) {
            System.out.println("[stack] " + service + " started, pid " + pid);
        }

        @Override
        public void healthy(String service, java.time.Duration elapsed, String detail) {
            System.out.printf("[stack] %s healthy in %.1fs: %s%n", service, elapsed.toMillis() / 1000.0, detail);
        }

        @Override
        public void failed(String service, String reason, List<String> logTail) {
            System.out.println("[stack] " + service + " FAILED: " + reason);
            logTail.forEach(line -> System.out.println("[" + service + "] " + line));
        }

        @Override
        public void stopped(String service, java.time.Duration elapsed, boolean killed) {
            System.out.printf("[stack] %s stopped in %.1fs%s%n", service, elapsed.toMillis() / 1000.0, killed ? " (killed)" : "");
        }
    }
}
