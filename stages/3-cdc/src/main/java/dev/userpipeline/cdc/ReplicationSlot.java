package dev.userpipeline.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** The connector's replication slot, {@link CdcContract#SLOT}: how much WAL it holds back. */
public final class ReplicationSlot {

    private ReplicationSlot() {
    }

    /** Bytes of WAL the slot has not confirmed yet; empty when there is no slot yet. */
    public static OptionalLong lagBytes(Connection postgres) throws SQLException {
        try (PreparedStatement ps = postgres.prepareStatement("select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
                + "from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, CdcContract.SLOT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** For status lines: {@code slot lag 12 KiB}, {@code no slot yet}, or why it is unknown. */
    public static String lag(String jdbcUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            OptionalLong lag = lagBytes(c);
            return lag.isPresent() ? "slot lag " + bytes(lag.getAsLong()) : "no slot yet";
        } catch (SQLException e) {
            return "slot lag unknown (" + e.getMessage() + ")";
        }
    }

    /** A byte count as people read it: 512 B, 3 KiB, 12 MiB. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KiB";
        }
        return (bytes / (1024 * 1024)) + " MiB";
    }
}
