package dev.userpipeline.services.kafka;

import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.util.List;

/** Every key the Kafka process reads; the launcher passes the same keys on its command line. */
public final class KafkaSettings {

    public static final Setting<Path> DATA_DIR = Setting.path("kafka.data.dir", ".pipeline/kafka",
            "Directory of the broker's logs (partitions) and KRaft metadata");
    public static final Setting<String> HOST = Setting.string("kafka.host", "127.0.0.1",
            "Address the broker and controller listen on");
    public static final Setting<String> ADVERTISED_HOST = Setting.string("kafka.advertised.host", "127.0.0.1",
            "Host name clients are told to connect to");
    public static final Setting<Integer> PORT = Setting.port("kafka.port", 9092,
            "Port of the broker's client listener");
    public static final Setting<Integer> CONTROLLER_PORT = Setting.port("kafka.controller.port", 9093,
            "Port of the KRaft controller listener");
    public static final Setting<Integer> EXTERNAL_PORT = Setting.integer("kafka.external.port", 0, 0, 65535,
            "Port of a second client listener for clients outside the broker's network, e.g. the host of a container "
                    + "(0: none)");
    public static final Setting<String> EXTERNAL_ADVERTISED_HOST = Setting.string("kafka.external.advertised.host", "127.0.0.1",
            "Host name clients of the second listener are told to connect to");
    public static final Setting<Integer> NODE_ID = Setting.integer("kafka.node.id", 1, 0, 1_000_000,
            "This node's id in the KRaft cluster (node.id), unique among its nodes");
    public static final Setting<List<String>> VOTERS = Setting.list("kafka.controller.voters", "",
            "The controller quorum of a cluster of several nodes, id@host:port,... (empty: this one node alone); "
                    + "replication follows from its size");
    public static final Setting<String> CLUSTER_ID = Setting.optional("kafka.cluster.id",
            "Cluster id every node of a multi-node cluster formats its storage with (22 characters, base64 of a UUID; "
                    + "empty: a new one, for one node alone)");
    public static final Setting<Integer> PARTITIONS = Setting.integer("kafka.partitions", 3, 1, 1024,
            "Default partition count of new topics");

    public static final List<Setting<?>> ALL = List.of(DATA_DIR, HOST, ADVERTISED_HOST, PORT, CONTROLLER_PORT, EXTERNAL_PORT,
            EXTERNAL_ADVERTISED_HOST, NODE_ID, VOTERS, CLUSTER_ID, PARTITIONS);

    private KafkaSettings() {
    }
}
