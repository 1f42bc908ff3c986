package dev.userpipeline.services.cassandra;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Cassandra process: writes {@code cassandra.yaml} and {@code logback.xml} from
 * {@link CassandraSettings}, sets the system properties Cassandra's own start script would, then runs
 * {@code CassandraDaemon} in the foreground.
 *
 * <p>The JVM options (heap, and the module exports Cassandra needs on Java 17) are in
 * {@code jvm.options} beside this class; the launcher passes them.
 */
public final class CassandraRunner {

    private CassandraRunner() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("CassandraRunner", CassandraSettings.ALL, args);
        Path dir = settings.get(CassandraSettings.DATA_DIR).toAbsolutePath();
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Path yaml = conf.resolve("cassandra.yaml");
        Path logback = conf.resolve("logback.xml");
        Files.writeString(yaml, CassandraNodeConfig.yaml(settings), StandardCharsets.UTF_8);
        Files.writeString(logback, CassandraNodeConfig.logback(), StandardCharsets.UTF_8);

        // Set before any Cassandra or logging class loads: both read these once, at class initialisation.
        System.setProperty("cassandra.config", yaml.toUri().toString());
        System.setProperty("logback.configurationFile", logback.toString());
        System.setProperty("cassandra.storagedir", dir.toString());
        System.setProperty("cassandra.logdir", dir.resolve("logs").toString());
        System.setProperty("cassandra-foreground", "yes");
        Path triggers = Files.createDirectories(dir.resolve("triggers"));
        System.setProperty("cassandra.triggers_dir", triggers.toString());
        // A single node has no ring to wait for: these cut the start from ~40 s to ~8 s. A node joining a
        // cluster waits (cassandra.ring.delay.ms) to learn who owns which tokens before it takes its own.
        System.setProperty("cassandra.ring_delay_ms", Integer.toString(settings.get(CassandraSettings.RING_DELAY_MS)));
        if (settings.get(CassandraSettings.SEEDS).isEmpty()) {
            System.setProperty("cassandra.skip_wait_for_gossip_to_settle", "0");
        }

        System.out.println("Starting Cassandra with " + yaml);
        org.apache.cassandra.service.CassandraDaemon.main(new String[0]);
    }
}
