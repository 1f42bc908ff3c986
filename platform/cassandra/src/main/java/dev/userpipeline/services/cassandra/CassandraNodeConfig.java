package dev.userpipeline.services.cassandra;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;

/** The {@code cassandra.yaml} and {@code logback.xml} of one node. */
final class CassandraNodeConfig {

    private CassandraNodeConfig() {
    }

    static String yaml(Settings settings) {
        Path dir = settings.get(CassandraSettings.DATA_DIR).toAbsolutePath();
        String host = settings.get(CassandraSettings.HOST);
        int storagePort = settings.get(CassandraSettings.STORAGE_PORT);
        java.util.List<String> seeds = settings.get(CassandraSettings.SEEDS);
        return String.join("\n",
                "# Written by CassandraRunner before each start; edits are lost.",
                "cluster_name: '" + settings.get(CassandraSettings.CLUSTER_NAME).replace("'", "''") + "'",
                "num_tokens: 16",
                // Tokens are spread for the replication a cluster's keyspaces have: one alone, three in a cluster.
                "allocate_tokens_for_local_replication_factor: " + (seeds.isEmpty() ? 1 : 3),
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "data_file_directories:",
                "  - " + dir.resolve("data"),
                "commitlog_directory: " + dir.resolve("commitlog"),
                "saved_caches_directory: " + dir.resolve("saved_caches"),
                "hints_directory: " + dir.resolve("hints"),
                "cdc_raw_directory: " + dir.resolve("cdc_raw"),
                commitlogSync(settings.get(CassandraSettings.COMMITLOG_SYNC)),
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + (seeds.isEmpty() ? host + ":" + storagePort : String.join(",", seeds)) + "\"",
                "listen_address: " + host,
                "rpc_address: " + host,
                "storage_port: " + storagePort,
                "native_transport_port: " + settings.get(CassandraSettings.PORT),
                "start_native_transport: true",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "disk_failure_policy: stop",
                "commit_failure_policy: stop",
                "auto_snapshot: false",
                // The stream job writes unlogged batches of 16 users, one partition each, grouped by replica
                // set: expected here, so not worth a warning per batch in the log.
                "batch_size_warn_threshold: 64KiB",
                "unlogged_batch_across_partitions_warn_threshold: 64",
                "");
    }

    /** The commit log's sync, as {@code cassandra.commitlog.sync} chooses it. */
    static String commitlogSync(String mode) {
        return switch (mode) {
            // Cassandra's own default: a write is acknowledged once in the commit log, which is synced every 10 s; a
            // restart replays the log only up to its last sync, so a killed node loses what it acknowledged since.
            case "periodic" -> "commitlog_sync: periodic\ncommitlog_sync_period: 10000ms";
            // The pipeline's default. A write waits for the next sync, one every 10 ms: writes arriving together share it.
            case "group" -> "commitlog_sync: group\ncommitlog_sync_group_window: 10ms";
            // A write waits for a sync, which starts as soon as writes wait.
            case "batch" -> "commitlog_sync: batch";
            default -> throw new IllegalArgumentException("cassandra.commitlog.sync: " + mode);
        };
    }

    /** Logs to standard output, which the launcher writes to the service's log file. */
    static String logback() {
        // No comma inside %date{}: logback's option parser would split the pattern there.
        return """
                <configuration scan="false">
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder>
                      <pattern>%date{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{1} %msg%n</pattern>
                    </encoder>
                  </appender>
                  <logger name="org.apache.cassandra" level="INFO"/>
                  <logger name="com.datastax" level="WARN"/>
                  <root level="INFO">
                    <appender-ref ref="STDOUT"/>
                  </root>
                </configuration>
                """;
    }
}
