package dev.userpipeline.services.kafka;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code server.properties} of one KRaft node, broker and controller in one process: alone, or one voter of
 * a quorum ({@link KafkaSettings#VOTERS}), whose size decides every replication setting.
 */
final class KafkaServerConfig {

    private KafkaServerConfig() {
    }

    static Map<String, String> properties(Settings settings) {
        Path dataDir = settings.get(KafkaSettings.DATA_DIR).toAbsolutePath();
        String host = settings.get(KafkaSettings.HOST);
        int port = settings.get(KafkaSettings.PORT);
        int controllerPort = settings.get(KafkaSettings.CONTROLLER_PORT);

        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(settings.get(KafkaSettings.NODE_ID)));
        List<String> voters = settings.get(KafkaSettings.VOTERS);
        String advertised = settings.get(KafkaSettings.ADVERTISED_HOST);
        int externalPort = settings.get(KafkaSettings.EXTERNAL_PORT);
        // The controller is reached where the broker is: a wildcard listen address is no address to dial.
        if (voters.isEmpty()) {
            p.put("controller.quorum.bootstrap.servers", (host.equals("0.0.0.0") ? advertised : host) + ":" + controllerPort);
        } else {
            // A static quorum: every node knows every voter from the start.
            p.put("controller.quorum.voters", String.join(",", voters));
        }
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
        // Replicas follow the cluster: one alone; three (two in sync for a write) from three nodes up.
        int replicas = replicas(settings);
        String minInSync = Integer.toString(minInSync(replicas));
        p.put("offsets.topic.replication.factor", Integer.toString(replicas));
        p.put("transaction.state.log.replication.factor", Integer.toString(replicas));
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("default.replication.factor", Integer.toString(replicas));
        p.put("min.insync.replicas", minInSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", "168");
        return p;
    }

    /** Nodes in the cluster: the voters of its quorum, or this one alone. */
    static int nodes(Settings settings) {
        return Math.max(1, settings.get(KafkaSettings.VOTERS).size());
    }

    static int replicas(Settings settings) {
        return Math.min(3, nodes(settings));
    }

    /** A write waits for two replicas where there are three, so one node may fail without losing it. */
    static int minInSync(int replicas) {
        return replicas >= 3 ? 2 : 1;
    }
}
