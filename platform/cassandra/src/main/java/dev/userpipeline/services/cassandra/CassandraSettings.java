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

    /**
     * Group by default: with periodic, Cassandra replays after a crash only the commit log up to its last sync, so a
     * node killed with SIGKILL loses the writes it acknowledged since (up to 10 s). Seen in StreamIT: the counts of a
     * micro-batch acknowledged 0.3 s before the kill were gone after the restart, while the job had committed its
     * offsets. Measured in bench/results/durability.md: group costs ~25 % more Cassandra CPU and ~40 % of the burst.
     */
    public static final Setting<String> COMMITLOG_SYNC = Setting.choice("cassandra.commitlog.sync", "group",
            List.of("group", "batch", "periodic"),
            "When a write is acknowledged: group (once its commit log is synced, a sync every 10 ms: a killed node or a "
                    + "power cut loses nothing acknowledged), batch (once synced, a sync as soon as writes wait), periodic "
                    + "(at once, the log synced every 10 s: a killed node or a power cut loses up to 10 s of acknowledged "
                    + "writes; faster, for a node whose replicas hold every write)");

    public static final List<Setting<?>> ALL = List.of(DATA_DIR, HOST, PORT, STORAGE_PORT, SEEDS, RING_DELAY_MS, CLUSTER_NAME,
            COMMITLOG_SYNC);

    private CassandraSettings() {
    }
}
