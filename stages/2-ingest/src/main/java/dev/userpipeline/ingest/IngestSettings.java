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

    public static final Setting<Integer> RATE_LIMIT_WINDOW = Setting.integer("ingest.rate.limit.window", 300, 0, 86_400,
            "Seconds to wait when the API answers 429 without Retry-After before asking again (randomuser.me counts users per "
                    + "client in a fixed window of about 5 minutes); 0 treats such an answer as a failed try");
    public static final Setting<Integer> MAX_RATE = Setting.integer("ingest.max.rate", 0, 0, 1_000_000,
            "Most users per second a fixed-count ingest fetches, to stay under an API's allowance (randomuser.me: about "
                    + "20,000 per 5 minutes, so 66); 0 fetches as fast as the API answers");
    public static final Setting<Integer> MAX_ANSWER_MB = Setting.integer("ingest.max.answer.mb", 64, 1, 4_096,
            "Largest answer of the API read, in MiB (5,000 users are 6-7 MiB); a larger one is refused, not read");
    public static final Setting<Integer> MAX_USER_BYTES = Setting.integer("ingest.max.user.bytes", 900_000, 1_000, 100_000_000,
            "Largest user landed, in bytes of its JSON as a change event carries it; a larger one is quarantined, as Kafka's "
                    + "and Connect's default limit on a message (1 MiB) would stop change data capture at it");

    public static final List<Setting<?>> ALL = List.of(SOURCE, BATCH_SIZE, WRITERS, RATE, CONNECT_TIMEOUT, READ_TIMEOUT, ATTEMPTS,
            RATE_LIMIT_WINDOW, MAX_RATE, MAX_ANSWER_MB, MAX_USER_BYTES);

    private IngestSettings() {
    }
}
