package dev.userpipeline.services.kafka;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka process: writes {@code server.properties} from {@link KafkaSettings}, formats the storage
 * on first start (KRaft needs a cluster id on disk before it runs), then runs Kafka's own main.
 *
 * <p>Arguments are the settings' flags ({@code --kafka-port=9092}); environment variables
 * ({@code PIPELINE_KAFKA_PORT}) apply when a flag is absent.
 */
public final class KafkaRunner {

    private KafkaRunner() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("KafkaRunner", KafkaSettings.ALL, args);
        Path dataDir = settings.get(KafkaSettings.DATA_DIR).toAbsolutePath();
        Path config = dataDir.resolve("server.properties");
        writeProperties(config, KafkaServerConfig.properties(settings));

        if (!Files.exists(dataDir.resolve("metadata").resolve("meta.properties"))) {
            format(config, settings);
        }
        System.out.println("Starting Kafka with " + config);
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static void writeProperties(Path file, Map<String, String> values) throws IOException {
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Written by KafkaRunner before each start; edits are lost");
        }
    }

    /**
     * The storage tool's arguments: a node alone makes a new cluster with itself as the one voter; a node of a
     * static quorum formats with the cluster id every node shares.
     */
    static List<String> formatArguments(Settings settings) {
        String clusterId = settings.get(KafkaSettings.CLUSTER_ID);
        if (settings.get(KafkaSettings.VOTERS).isEmpty()) {
            return List.of("format", "--standalone", "-t", clusterId.isEmpty() ? Uuid.randomUuid().toString() : clusterId);
        }
        if (clusterId.isEmpty()) {
            throw new IllegalArgumentException("A node of a cluster of several needs the cluster id all of them format with: set "
                    + KafkaSettings.CLUSTER_ID.howToChange("<22 characters, e.g. from kafka-storage random-uuid>") + ".");
        }
        return List.of("format", "-t", clusterId);
    }

    /**
     * Runs Kafka's storage tool in a child JVM of the same classpath: the tool ends by exiting the JVM,
     * which must not be this one.
     */
    private static void format(Path config, Settings settings) throws IOException, InterruptedException {
        List<String> format = formatArguments(settings);
        System.out.println("Formatting KRaft storage for cluster " + format.get(format.indexOf("-t") + 1));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool"));
        command.addAll(format);
        command.addAll(List.of("-c", config.toString()));
        Process process = new ProcessBuilder(command).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed with exit code " + exit
                    + "; the storage tool's output is above.");
        }
    }
}
