package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The times each user of a batch carries into Cassandra, read back by id: when it was fetched from the
 * API, when its record reached the topic, and when Cassandra wrote its row ({@code writetime}).
 */
final class RowTimings {

    /** One user's times, in epoch microseconds. */
    record Timing(long fetchedMicros, long publishedMicros, long writtenMicros) {
        long fetchToCassandraMillis() {
            return (writtenMicros - fetchedMicros) / 1000;
        }
    }

    private RowTimings() {
    }

    static List<Timing> of(CqlSession session, String keyspace, List<UUID> ids) {
        PreparedStatement select = session.prepare("select fetched_at, published_at, writetime(first_name) as written from "
                + keyspace + ".created_users where id in ?");
        List<Timing> timings = new ArrayList<>(ids.size());
        for (Row row : RowsById.read(session, select, ids)) {
            timings.add(new Timing(micros(row.getInstant("fetched_at")), micros(row.getInstant("published_at")), row.getLong("written")));
        }
        return timings;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
