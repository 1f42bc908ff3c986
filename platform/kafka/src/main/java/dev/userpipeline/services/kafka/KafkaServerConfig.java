package dev.userpipeline.services.kafka;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code server.properties} of a single-node KRaft cluster: one process is broker and controller. */
final class KafkaServerConfig {

    static final int NODE_ID = 1;

    private KafkaServerConfig() {
    }

    static Map<String, String> properties(Settings settings) {
        Path dataDir = settings.get(KafkaSettings.DATA_DIR).toAbsolutePath();
        String host = settings.get(KafkaSettings.HOST);
        int port = settings.get(KafkaSettings.PORT);
        int controllerPort = settings.get(KafkaSettings.CONTROLLER_PORT);

        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        String advertised = settings.get(KafkaSettings.ADVERTISED_HOST);
        int externalPort = settings.get(KafkaSettings.EXTERNAL_PORT);
        // The controller is reached where the broker is: a wildcard listen address is no address to dial.
        p.put("controller.quorum.bootstrap.servers", (host.equals("0.0.0.0") ? advertised : host) + ":" + controllerPort);
        String listeners = "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort;
        String advertisedListeners = "PLAINTEXT://" + advertised + ":" + port;
        String protocols = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT";
        if (externalPort > 0) {
            // A container's broker: its network's clients use PLAINTEXT, the host's clients this one.
            listeners += ",EXTERNAL://" + host + ":" + externalPort;
            advertisedListeners += ",EXTERNAL://" + settings.get(KafkaSettings.EXTERNAL_ADVERTISED_HOST) + ":" + externalPort;
            protocols += ",EXTERNAL:PLAINTEXT";
        }
        p.put("listeners", listeners);
        p.put("advertised.listeners", advertisedListeners);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", protocols);
        p.put("log.dirs", dataDir.resolve("data").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        p.put("num.partitions", Integer.toString(settings.get(KafkaSettings.PARTITIONS)));
        // Topics are created on purpose, with their partitions and retention, never by a typo.
        p.put("auto.create.topics.enable", "false");
        // One node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", "168");
        return p;
    }
}
