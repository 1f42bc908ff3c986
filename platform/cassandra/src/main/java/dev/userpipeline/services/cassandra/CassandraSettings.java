package dev.userpipeline.services.cassandra;

import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.util.List;

/** Every key the Cassandra process reads; the launcher passes the same keys on its command line. */
public final class CassandraSettings {

    public static final Setting<Path> DATA_DIR = Setting.path("cassandra.data.dir", ".pipeline/cassandra",
            "Directory of the node's data, commit log, hints and saved caches");
    public static final Setting<String> HOST = Setting.string("cassandra.host", "127.0.0.1",
            "Address the node listens on, for clients (CQL) and for other nodes");
    public static final Setting<Integer> PORT = Setting.port("cassandra.port", 9042,
            "Port of the CQL native protocol");
    public static final Setting<Integer> STORAGE_PORT = Setting.port("cassandra.storage.port", 7000,
            "Port of the inter-node (gossip and streaming) protocol");
    public static final Setting<java.util.List<String>> SEEDS = Setting.list("cassandra.seeds", "",
            "Seed nodes a node of a cluster gossips with first, host:port,... (empty: this node alone, its own seed)");
    public static final Setting<Integer> RING_DELAY_MS = Setting.integer("cassandra.ring.delay.ms", 0, 0, 600_000,
            "Milliseconds a joining node waits to learn the ring (0: none, for a node alone; about 30000 for a cluster)");
    public static final Setting<String> CLUSTER_NAME = Setting.string("cassandra.cluster.name", "pipeline",
            "Name of the Cassandra cluster; a node refuses data written under another name");

    public static final Setting<String> COMMITLOG_SYNC = Setting.choice("cassandra.commitlog.sync", "periodic",
            List.of("periodic", "group", "batch"),
            "When the commit log reaches the disk: periodic (a write is acknowledged at once, the log synced every 10 s: a "
                    + "power cut loses up to 10 s of writes), group (acknowledged once synced, a sync every 10 ms), batch "
                    + "(acknowledged once synced, a sync as soon as writes wait)");

    public static final List<Setting<?>> ALL = List.of(DATA_DIR, HOST, PORT, STORAGE_PORT, SEEDS, RING_DELAY_MS, CLUSTER_NAME,
            COMMITLOG_SYNC);

    private CassandraSettings() {
    }
}
