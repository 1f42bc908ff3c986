package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserPage;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Lands fetched users in {@code ingest.users_raw}: COPY into a temporary staging table, then one
 * insert-select that skips ids already landed, all in one transaction per batch. The same user landed
 * twice is one row, so a retried or repeated fetch is harmless. Elements that were not users go to
 * {@code ingest.users_quarantine} in the same transaction.
 */
public final class LandingTableWriter implements BatchSink, AutoCloseable {

    private final Connection connection;
    private final CopyManager copy;

    public LandingTableWriter(Connection connection) throws SQLException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("create temporary table if not exists users_raw_stage "
                    + "(id uuid not null, payload jsonb not null, batch_id text not null, source text not null, "
                    + "fetched_at timestamptz not null) on commit delete rows");
        }
        connection.commit();
    }

    /** Lands one page's users and rejects, atomically. */
    @Override
    public BatchResult write(RandomUserPage page, String batchId, String source) throws SQLException {
        String fetchedAt = page.fetchedAt().toString();
        try {
            int staged = 0;
            if (!page.users().isEmpty()) {
                StringBuilder csv = new StringBuilder(page.users().size() * 1_300);
                for (RandomUserPage.FetchedUser user : page.users()) {
                    csv.append(user.user().id()).append(',');
                    quote(csv, user.json()).append(',');
                    quote(csv, batchId).append(',');
                    quote(csv, source).append(',').append(fetchedAt).append('\n');
                }
                staged = (int) copy.copyIn("copy users_raw_stage from stdin with (format csv)", new StringReader(csv.toString()));
            }
            int inserted = 0;
            if (staged > 0) {
                try (Statement st = connection.createStatement()) {
                    inserted = st.executeUpdate("insert into " + LandingTable.NAME + " (id, payload, batch_id, source, fetched_at) "
                            + "select id, payload, batch_id, source, fetched_at from users_raw_stage on conflict (id) do nothing");
                }
            }
            int quarantined = 0;
            if (!page.rejected().isEmpty()) {
                StringBuilder csv = new StringBuilder();
                for (RandomUserPage.RejectedUser rejected : page.rejected()) {
                    quote(csv, batchId).append(',');
                    quote(csv, source).append(',');
                    quote(csv, rejected.json()).append(',');
                    quote(csv, rejected.reason()).append(',').append(fetchedAt).append('\n');
                }
                quarantined = (int) copy.copyIn("copy " + LandingTable.QUARANTINE + " (batch_id, source, raw, reason, fetched_at) "
                        + "from stdin with (format csv)", new StringReader(csv.toString()));
            }
            connection.commit();
            return new BatchResult(staged, inserted, quarantined);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("Landing a batch of " + page.size() + " users failed: " + e.getMessage(), e);
        }
    }

    /** CSV quoting: the value in double quotes, inner quotes doubled. */
    static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        return out.append('"');
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The original failure is the one worth reporting.
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
