package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.clients.KeptSession;
import dev.userpipeline.clients.JobTotals;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.spark.SparkSettings;
import dev.userpipeline.stream.JobProgress;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Spark job ({@code stream} module), submitted with Spark's own {@code SparkSubmit}: in local mode by
 * default, or to the standalone master with {@code --spark-cluster} (client mode: the driver is this process).
 */
final class StreamService extends SparkProcessService {

    static final String JOB_CLASS = "dev.userpipeline.stream.UserStreamJob";

    private final Path root;

    StreamService(Settings settings, Path home, Path root) {
        super(settings, home, root);
        this.root = root;
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public boolean enabled() {
        return settings.get(SparkSettings.JOB);
    }

    /** The job's keys reach its driver (this process, in local and client mode) through the environment. */
    @Override
    public List<Setting<?>> settings() {
        return StreamSettings.ALL;
    }

    @Override
    public Map<Setting<?>, String> placement() {
        return Map.of(StreamSettings.CHECKPOINT_DIR, home.resolve("stream/checkpoints").toString(),
                StreamSettings.PROGRESS_FILE, progressFile().toString());
    }

    @Override
    public List<String> dependsOn() {
        // Connect creates users_created with its partitions before anything subscribes to it.
        return settings.get(SparkSettings.CLUSTER)
                ? List.of("kafka", "cassandra", "connect", "spark-worker")
                : List.of("kafka", "cassandra", "connect");
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "Spark UI", host, settings.get(StreamSettings.UI_PORT), StreamSettings.UI_PORT));
    }

    @Override
    public String address() {
        return master() + " (UI http://" + host + ":" + settings.get(StreamSettings.UI_PORT) + ")";
    }

    private String master() {
        return settings.get(SparkSettings.CLUSTER) ? masterUrl() : settings.get(SparkSettings.LOCAL_MASTER);
    }

    Path progressFile() {
        return JobProgress.file(home);
    }

    @Override
    public void prepare(Path log) throws Exception {
        super.prepare(log);
        jobJar();
        // A progress file of an earlier run must not make a job that has not started look healthy.
        Files.deleteIfExists(progressFile());
    }

    /**
     * Copies the built jar to {@code stream/stream-job.jar} of the work directory, which spark-submit takes, for each
     * start of the job: a build while the job runs rewrites the jar in target/, and a JVM whose jar changes under it
     * dies at its next class load. The copy is moved into place, so a job still running keeps its own file; like
     * everything in the work directory it is the owner's alone.
     */
    private Path copyJobJar() throws IOException {
        Path copy = home.resolve("stream/stream-job.jar");
        Files.createDirectories(copy.getParent());
        Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
        Files.copy(jobJar(), partial, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return copy;
    }

    /** The shaded jar of the stream module as built. */
    Path jobJar() throws IOException {
        Path target = root.resolve("stages/4-stream/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(f -> f.getFileName().toString().matches("stream-.*-job\\.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get().toAbsolutePath();
                }
            }
        }
        throw new StackException("The job jar is not built (no stages/4-stream/target/stream-*-job.jar). Build it with "
                + "./mvnw -DskipTests package, or run ./pipeline, which builds on first use.");
    }

    @Override
    public List<String> command() throws Exception {
        List<String> submit = new ArrayList<>(List.of(
                "--master", master(),
                "--name", "user-stream",
                "--class", JOB_CLASS,
                "--conf", "spark.driver.host=" + host,
                "--conf", "spark.driver.bindAddress=" + host,
                "--conf", "spark.ui.port=" + settings.get(StreamSettings.UI_PORT),
                "--conf", "spark.executor.memory=" + settings.get(SparkSettings.EXECUTOR_MEMORY),
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", module().jvmOptions())));
        for (String property : settings.get(SparkSettings.CONF)) {
            if (!property.contains("=")) {
                throw new StackException("spark.conf holds '" + property + "', which is not key=value. Set it with "
                        + SparkSettings.CONF.howToChange("spark.key=value,spark.other=value") + ".");
            }
            submit.addAll(List.of("--conf", property));
        }
        submit.add(copyJobJar().toString());
        // In client mode (and local mode) the driver is this JVM: its heap is the driver memory.
        return javaCommand("org.apache.spark.deploy.SparkSubmit",
                List.of("-Xmx" + settings.get(SparkSettings.DRIVER_MEMORY)), submit);
    }

    /**
     * Healthy when the job's progress file, written by this very process, shows every query active
     * ({@link JobProgress#health}); a failed query is reported with its error.
     */
    @Override
    public String check() throws Exception {
        return master() + ": " + JobProgress.health(progressFile()) + ", " + totals();
    }

    /** The job's own totals, one row read; a full count of created_users took over 10 s at a million users. */
    private String totals() {
        try {
            JobTotals totals = KeptSession.of(settings.get(ServiceAddresses.CASSANDRA)).use(session -> JobTotals.read(session,
                    settings.get(StreamSettings.KEYSPACE), StreamContract.CREATED_USERS, Duration.ofSeconds(2)));
            return String.format(Locale.ROOT, "%,d users and %,d dead letters written", totals.users(), totals.deadLetters());
        } catch (RuntimeException e) {
            return "totals unknown (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")";
        }
    }
}
