package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The times each user of a batch carries into Cassandra, read back by id: when it was fetched from the API, when it
 * landed in PostgreSQL, when its record reached the topic, when the job parsed it in the task that writes it
 * ({@code processed_at}), and when Cassandra wrote its row ({@code writetime}).
 */
final class RowTimings {

    /** The stretches between those times, in order: together they make the fetch-to-Cassandra latency. */
    static final List<String> HOPS = List.of("fetch to landing", "landing to topic", "topic to the job's write", "the job's write");

    /** One user's times, in epoch microseconds. */
    record Timing(long fetchedMicros, long ingestedMicros, long publishedMicros, long processedMicros, long writtenMicros) {
        long fetchToCassandraMillis() {
            return (writtenMicros - fetchedMicros) / 1000;
        }

        /** Milliseconds of each of {@link #HOPS}. */
        long[] hopMillis() {
            long[] at = {fetchedMicros, ingestedMicros, publishedMicros, processedMicros, writtenMicros};
            long[] hops = new long[at.length - 1];
            for (int i = 0; i < hops.length; i++) {
                hops[i] = (at[i + 1] - at[i]) / 1000;
            }
            return hops;
        }
    }

    private RowTimings() {
    }

    static List<Timing> of(CqlSession session, String keyspace, List<UUID> ids) {
        PreparedStatement select = session.prepare("select fetched_at, ingested_at, published_at, processed_at, writetime(first_name) as written from "
                + keyspace + ".created_users where id in ?");
        List<Timing> timings = new ArrayList<>(ids.size());
        for (Row row : RowsById.read(session, select, ids)) {
            timings.add(new Timing(micros(row.getInstant("fetched_at")), micros(row.getInstant("ingested_at")),
                    micros(row.getInstant("published_at")), micros(row.getInstant("processed_at")), row.getLong("written")));
        }
        return timings;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
