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
            format(config);
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
     * Runs Kafka's storage tool in a child JVM of the same classpath: the tool ends by exiting the JVM,
     * which must not be this one.
     */
    private static void format(Path config) throws IOException, InterruptedException {
        String clusterId = Uuid.randomUuid().toString();
        System.out.println("Formatting KRaft storage for new cluster " + clusterId);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId, "-c", config.toString()));
        Process process = new ProcessBuilder(command).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed with exit code " + exit
                    + "; the storage tool's output is above.");
        }
    }
}
