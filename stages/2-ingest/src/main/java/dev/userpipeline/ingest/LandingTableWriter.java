package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserPage.FetchedUser;
import dev.userpipeline.source.RandomUserPage.RejectedUser;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Lands fetched users in {@code ingest.users_raw}: COPY into a temporary staging table, then one
 * insert-select that skips ids already landed, all in one transaction per batch. The same user landed
 * twice is one row, so a retried or repeated fetch is harmless. Elements that were not users go to
 * {@code ingest.users_quarantine} in the same transaction, and so do users that PostgreSQL cannot store
 * or that the rest of the pipeline could not carry: one such user never costs its page's others.
 *
 * <p>A connection that breaks (the database restarted) is opened again on the next write.
 */
public final class LandingTableWriter implements BatchSink, AutoCloseable {

    /** Opens a connection to the landing database. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** JSON text to a change event's value escapes every quote and backslash once more; the envelope adds about this. */
    static final int CHANGE_EVENT_OVERHEAD = 1_024;

    private final ConnectionSource source;
    private final int maxUserBytes;
    private Connection connection;
    private CopyManager copy;

    public LandingTableWriter(ConnectionSource source, int maxUserBytes) throws SQLException {
        this.source = source;
        this.maxUserBytes = maxUserBytes;
        open();
    }

    /** A writer on one connection, with the default limit on a user's size. */
    public LandingTableWriter(Connection connection) throws SQLException {
        this(() -> connection, Integer.parseInt(IngestSettings.MAX_USER_BYTES.defaultValue()));
    }

    private void open() throws SQLException {
        connection = source.open();
        copy = connection.unwrap(PGConnection.class).getCopyAPI();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("create temporary table if not exists users_raw_stage "
                    + "(id uuid not null, payload jsonb not null, batch_id text not null, source text not null, "
                    + "fetched_at timestamptz not null) on commit delete rows");
        }
        connection.commit();
    }

    @Override
    public BatchResult write(RandomUserPage page, String batchId, String source) throws SQLException {
        return write(page, batchId, source, false);
    }

    /**
     * Lands one page's users and rejects, atomically; with {@code recordPage}, the page's request goes to the page
     * ledger in the same transaction.
     */
    @Override
    public BatchResult write(RandomUserPage page, String batchId, String source, boolean recordPage) throws SQLException {
        if (connection == null) {
            open();
        }
        List<FetchedUser> storable = new ArrayList<>(page.users().size());
        List<RejectedUser> rejected = new ArrayList<>(page.rejected());
        for (FetchedUser user : page.users()) {
            String problem = unstorable(user.json(), maxUserBytes);
            if (problem == null) {
                storable.add(user);
            } else {
                rejected.add(new RejectedUser(user.json(), problem));
            }
        }
        try {
            int inserted = landTogether(storable, page, batchId, source);
            return finish(page, batchId, source, recordPage, storable.size(), inserted, rejected);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (broken(e)) {
                closeQuietly();
                throw e instanceof SQLException sql ? sql : new SQLException("Landing a page of " + page.size() + " users failed: " + e.getMessage(), e);
            }
        }
        // PostgreSQL refused the page: land its users one at a time, each behind a savepoint, and quarantine those it
        // refuses with its own words. Rare, so its cost (a round trip per user) is paid only then.
        try {
            int before = rejected.size();
            int inserted = landOneByOne(storable, rejected, page, batchId, source);
            return finish(page, batchId, source, recordPage, storable.size() - (rejected.size() - before), inserted, rejected);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (broken(e)) {
                closeQuietly();
            }
            if (e instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("Landing a page of " + page.size() + " users failed: " + e.getMessage(), e);
        }
    }

    private int landTogether(List<FetchedUser> users, RandomUserPage page, String batchId, String source) throws SQLException, IOException {
        if (users.isEmpty()) {
            return 0;
        }
        String fetchedAt = page.fetchedAt().toString();
        StringBuilder csv = new StringBuilder(users.size() * 1_300);
        for (FetchedUser user : users) {
            row(csv, user, batchId, source, fetchedAt);
        }
        copy.copyIn("copy users_raw_stage from stdin with (format csv)", new StringReader(csv.toString()));
        try (Statement st = connection.createStatement()) {
            return st.executeUpdate("insert into " + LandingTable.NAME + " (id, payload, batch_id, source, fetched_at) "
                    + "select id, payload, batch_id, source, fetched_at from users_raw_stage on conflict (id) do nothing");
        }
    }

    private int landOneByOne(List<FetchedUser> users, List<RejectedUser> rejected, RandomUserPage page, String batchId, String source)
            throws SQLException {
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement("insert into " + LandingTable.NAME
                + " (id, payload, batch_id, source, fetched_at) values (?, ?::jsonb, ?, ?, ?::timestamptz) on conflict (id) do nothing")) {
            for (FetchedUser user : users) {
                Savepoint before = connection.setSavepoint();
                try {
                    insert.setObject(1, user.user().id());
                    insert.setString(2, user.json());
                    insert.setString(3, batchId);
                    insert.setString(4, source);
                    insert.setString(5, page.fetchedAt().toString());
                    inserted += insert.executeUpdate();
                    connection.releaseSavepoint(before);
                } catch (SQLException refused) {
                    if (broken(refused)) {
                        throw refused;
                    }
                    connection.rollback(before);
                    rejected.add(new RejectedUser(user.json(), "PostgreSQL cannot store this user: " + firstLine(refused.getMessage())));
                }
            }
        }
        return inserted;
    }

    private BatchResult finish(RandomUserPage page, String batchId, String source, boolean recordPage, int staged, int inserted,
            List<RejectedUser> rejected) throws SQLException, IOException {
        int quarantined = 0;
        if (!rejected.isEmpty()) {
            String fetchedAt = page.fetchedAt().toString();
            StringBuilder csv = new StringBuilder();
            for (RejectedUser reject : rejected) {
                quote(csv, batchId).append(',');
                quote(csv, source).append(',');
                // A text column cannot hold NUL either: the quarantine keeps it visibly escaped.
                quote(csv, reject.json().replace("\u0000", "\\u0000")).append(',');
                quote(csv, reject.reason()).append(',').append(fetchedAt).append('\n');
            }
            quarantined = (int) copy.copyIn("copy " + LandingTable.QUARANTINE + " (batch_id, source, raw, reason, fetched_at) "
                    + "from stdin with (format csv)", new StringReader(csv.toString()));
        }
        if (recordPage) {
            try (PreparedStatement ps = connection.prepareStatement("insert into " + LandingTable.LANDED_PAGES
                    + " (source, request, batch_id, users) values (?, ?, ?, ?) on conflict do nothing")) {
                ps.setString(1, source);
                ps.setString(2, page.request());
                ps.setString(3, batchId);
                ps.setInt(4, page.size());
                ps.executeUpdate();
            }
        }
        connection.commit();
        return new BatchResult(staged, inserted, quarantined);
    }

    /** Of these requests of a source, those already landed, with the number of users each held. */
    @Override
    public Map<String, Integer> landedPages(String source, Collection<String> requests) throws SQLException {
        if (connection == null) {
            open();
        }
        Map<String, Integer> landed = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("select request, users from " + LandingTable.LANDED_PAGES
                + " where source = ? and request = any(?)")) {
            ps.setString(1, source);
            ps.setArray(2, connection.createArrayOf("text", requests.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    landed.put(rs.getString(1), rs.getInt(2));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
        return landed;
    }

    /**
     * Why a user cannot land, or null: PostgreSQL's jsonb refuses the NUL character ({@code \}{@code u0000}), and a user
     * whose change event would exceed the limit on a Kafka message would stop change data capture at it.
     */
    static String unstorable(String json, int maxUserBytes) {
        long eventBytes = CHANGE_EVENT_OVERHEAD;
        int backslashes = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                backslashes++;
                eventBytes += 2;
                continue;
            }
            if (c == 'u' && backslashes % 2 == 1 && json.startsWith("0000", i + 1)) {
                return "contains \\u0000 (the NUL character), which PostgreSQL's jsonb cannot store";
            }
            backslashes = 0;
            eventBytes += c == '"' ? 2 : c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        if (eventBytes > maxUserBytes) {
            return String.format(java.util.Locale.ROOT, "too large to carry: %,d bytes as a change event, over the limit of %,d "
                    + "(ingest.max.user.bytes; Kafka and Connect refuse a message over 1 MiB by default)", eventBytes, maxUserBytes);
        }
        return null;
    }

    private static void row(StringBuilder csv, FetchedUser user, String batchId, String source, String fetchedAt) {
        csv.append(user.user().id()).append(',');
        quote(csv, user.json()).append(',');
        quote(csv, batchId).append(',');
        quote(csv, source).append(',').append(fetchedAt).append('\n');
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

    /** The connection itself failed (class 08, or closed): no use retrying on it. */
    private boolean broken(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return true;
        }
        try {
            return connection == null || connection.isClosed() || !connection.isValid(2);
        } catch (SQLException notValid) {
            return true;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The original failure is the one worth reporting.
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // Already broken.
        }
        connection = null;
        copy = null;
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
