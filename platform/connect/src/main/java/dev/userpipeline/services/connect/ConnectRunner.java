package dev.userpipeline.services.connect;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Connect process: a distributed-mode worker, exactly as in production (config, offset and
 * status kept in Kafka topics), configured from {@link ConnectSettings}, with exactly-once source
 * support and JSON converters. Connectors are registered through its REST API.
 */
public final class ConnectRunner {

    private ConnectRunner() {
    }

    static Map<String, String> workerProperties(Settings settings) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", settings.get(ServiceAddresses.KAFKA));
        p.put("group.id", settings.get(ConnectSettings.GROUP));
        p.put("listeners", "http://" + settings.get(ConnectSettings.HOST) + ":" + settings.get(ConnectSettings.PORT));
        String advertised = settings.get(ConnectSettings.ADVERTISED_HOST);
        p.put("rest.advertised.host.name", advertised.isEmpty() ? settings.get(ConnectSettings.HOST) : advertised);
        p.put("rest.advertised.port", Integer.toString(settings.get(ConnectSettings.PORT)));
        p.put("config.storage.topic", "connect-configs");
        p.put("offset.storage.topic", "connect-offsets");
        p.put("status.storage.topic", "connect-status");
        // -1: the brokers' default.replication.factor, which follows the size of the Kafka cluster.
        p.put("config.storage.replication.factor", "-1");
        p.put("offset.storage.replication.factor", "-1");
        p.put("status.storage.replication.factor", "-1");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("key.converter.schemas.enable", "false");
        p.put("value.converter.schemas.enable", "false");
        p.put("plugin.path", settings.get(ConnectSettings.PLUGIN_PATH).toAbsolutePath().toString());
        // Finds plugins through their service manifests instead of scanning every class: a much faster start.
        p.put("plugin.discovery", "service_load");
        // Source records are committed in Kafka transactions together with their offsets.
        p.put("exactly.once.source.support", "enabled");
        // Connector configurations may name environment variables (${env:NAME}), so secrets stay out of them.
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("producer.linger.ms", "10");
        p.put("producer.batch.size", "262144");
        p.put("producer.compression.type", "lz4");
        p.put("offset.flush.interval.ms", "1000");
        return p;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("ConnectRunner", ConnectSettings.PROCESS, args);
        Path plugins = settings.get(ConnectSettings.PLUGIN_PATH).toAbsolutePath();
        if (!Files.isDirectory(plugins.resolve("debezium-connector-postgres"))) {
            throw new IllegalStateException("No Debezium connector under " + plugins + ": build platform/connect "
                    + "(./mvnw -DskipTests package) to unpack it there, or set " + ConnectSettings.PLUGIN_PATH.env());
        }
        Path config = settings.get(ConnectSettings.DATA_DIR).toAbsolutePath().resolve("connect-distributed.properties");
        Files.createDirectories(config.getParent());
        Properties properties = new Properties();
        properties.putAll(workerProperties(settings));
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(out, "Written by ConnectRunner before each start; edits are lost");
        }
        System.out.println("Starting Kafka Connect with " + config);
        org.apache.kafka.connect.cli.ConnectDistributed.main(new String[] {config.toString()});
    }
}
