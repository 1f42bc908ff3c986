package dev.userpipeline.services.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * The role the pipeline connects as (LOGIN, REPLICATION, for Debezium's slot) and the databases it owns,
 * made by the server's superuser: by the embedded stack's launcher and by {@link PostgresRunner} alike.
 */
public final class PipelineRole {

    private PipelineRole() {
    }

    /** Creates the role, or re-applies its password so that a changed setting takes effect; then the databases. */
    public static void ensure(Connection superuser, String user, String password, List<String> databases) throws SQLException {
        try (Statement st = superuser.createStatement()) {
            String role = quoteIdent(user);
            boolean roleExists = exists(superuser, "select 1 from pg_roles where rolname = ?", user);
            st.execute((roleExists ? "alter role " : "create role ") + role + " with login replication password " + quoteLiteral(password));
            for (String db : databases) {
                if (!exists(superuser, "select 1 from pg_database where datname = ?", db)) {
                    st.execute("create database " + quoteIdent(db) + " owner " + role + " encoding 'UTF8'");
                }
            }
        }
    }

    /** A new superuser password: 24 random bytes, hex. */
    public static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String quoteIdent(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String quoteLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
