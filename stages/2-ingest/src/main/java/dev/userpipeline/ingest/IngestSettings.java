package dev.userpipeline.ingest;

import dev.userpipeline.config.Setting;
import java.util.List;

/** Every key ingestion reads, besides PostgreSQL's and the offline source's addresses. */
public final class IngestSettings {

    public static final Setting<String> SOURCE = Setting.string("ingest.source", "auto",
            "Where users come from: randomuser (randomuser.me), offline, a URL, or auto (randomuser.me if it answers, else offline)");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("ingest.batch.size", 5_000, 1, 5_000,
            "Users per API request and per landing transaction");
    public static final Setting<Integer> WRITERS = Setting.integer("ingest.writers", 2, 1, 16,
            "Connections landing pages at once");
    public static final Setting<Integer> RATE = Setting.integer("ingest.rate", 10, 0, 1_000_000,
            "Users per second of continuous ingestion; 0 means none");
    public static final Setting<Integer> CONNECT_TIMEOUT = Setting.seconds("ingest.connect.timeout", 5,
            "Seconds to wait for a connection to the API");
    public static final Setting<Integer> READ_TIMEOUT = Setting.seconds("ingest.read.timeout", 60,
            "Seconds to wait for a whole answer of the API");
    public static final Setting<Integer> ATTEMPTS = Setting.integer("ingest.attempts", 6, 1, 100,
            "Tries per API request before ingestion gives up");

    public static final List<Setting<?>> ALL = List.of(SOURCE, BATCH_SIZE, WRITERS, RATE, CONNECT_TIMEOUT, READ_TIMEOUT, ATTEMPTS);

    private IngestSettings() {
    }
}
