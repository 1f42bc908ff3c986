package dev.userpipeline.clients;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.time.Duration;
import java.time.Instant;

/**
 * What the Spark job has written in all, as its totals row ({@code stream_totals}) says: users upserted into
 * Cassandra and dead letters sent, each micro-batch added once. One row to read, where counting
 * {@code created_users} reads the whole table (over 10 s at a million users on one node).
 *
 * @param users       users the job wrote to Cassandra
 * @param deadLetters records it rejected to the dead-letter topic
 * @param updatedAt   when it last added a micro-batch, or null before its first
 */
public record JobTotals(long users, long deadLetters, Instant updatedAt) {

    public static final JobTotals NONE = new JobTotals(0, 0, null);

    /**
     * The totals row of {@code query} in {@code keyspace}'s {@code stream_totals}; {@link #NONE} before the job first
     * created the table or counted a micro-batch.
     */
    public static JobTotals read(CqlSession session, String keyspace, String query, Duration timeout) {
        Row row;
        try {
            row = session.execute(SimpleStatement.newInstance("select users, dead_letters, updated_at from " + keyspace
                    + ".stream_totals where query = ?", query).setTimeout(timeout)).one();
        } catch (InvalidQueryException e) {
            // No keyspace or table yet: the job creates them when it first starts.
            return NONE;
        }
        if (row == null) {
            return NONE;
        }
        return new JobTotals(row.isNull(0) ? 0 : row.getLong(0), row.isNull(1) ? 0 : row.getLong(1), row.getInstant(2));
    }
}
