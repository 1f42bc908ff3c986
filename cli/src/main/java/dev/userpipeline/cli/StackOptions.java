package dev.userpipeline.cli;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stack.RepoRoot;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every stack command shares. Each maps to a key of {@link StackSettings}; anything
 * not given here comes from the environment ({@code PIPELINE_...}), then from what the running
 * stack was started with, then from the key's default.
 */
final class StackOptions {

    @Option(names = "--home", paramLabel = "DIR", description = "Work directory (env PIPELINE_HOME; default .pipeline in the checkout).")
    Path home;

    @Option(names = "--postgres-port", paramLabel = "PORT", description = "PostgreSQL port (env PIPELINE_POSTGRES_PORT; default 5432).")
    Integer postgresPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka broker port (env PIPELINE_KAFKA_PORT; default 9092).")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "Kafka KRaft controller port (env PIPELINE_KAFKA_CONTROLLER_PORT; default 9093).")
    Integer kafkaControllerPort;

    @Option(names = "--cassandra-port", paramLabel = "PORT", description = "Cassandra CQL port (env PIPELINE_CASSANDRA_PORT; default 9042).")
    Integer cassandraPort;

    @Option(names = "--cassandra-storage-port", paramLabel = "PORT", description = "Cassandra inter-node port (env PIPELINE_CASSANDRA_STORAGE_PORT; default 7000).")
    Integer cassandraStoragePort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by key (see `pipeline config`), e.g. --set start.timeout=600.")
    Map<String, String> set = new LinkedHashMap<>();

    private Settings resolved;

    Settings settings() {
        if (resolved == null) {
            resolved = resolve(System.getenv());
        }
        return resolved;
    }

    Settings resolve(Map<String, String> env) {
        Path root = RepoRoot.find();
        Path defaultHome = root.resolve(".pipeline");
        // The home decides where the saved layer is, so it is resolved on its own first.
        Settings homeOnly = builder(env, Map.of(), defaultHome).resolve();
        Map<String, String> saved;
        try {
            saved = Settings.load(Stack.savedSettings(homeOnly.get(StackSettings.HOME).toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved.remove(StackSettings.HOME.key());
        return builder(env, saved, defaultHome).resolve();
    }

    private Settings.Builder builder(Map<String, String> env, Map<String, String> saved, Path defaultHome) {
        return Settings.of(StackSettings.ALL)
                .defaultValue(StackSettings.HOME, defaultHome)
                .saved(saved, "the running stack")
                .env(env)
                .setAll(set)
                .set(StackSettings.HOME, home)
                .set(PostgresSettings.PORT, postgresPort)
                .set(KafkaSettings.PORT, kafkaPort)
                .set(KafkaSettings.CONTROLLER_PORT, kafkaControllerPort)
                .set(CassandraSettings.PORT, cassandraPort)
                .set(CassandraSettings.STORAGE_PORT, cassandraStoragePort);
    }

    Stack stack() {
        return new Stack(settings(), RepoRoot.find());
    }
}
