package dev.userpipeline.services.postgres;

import dev.userpipeline.config.Setting;
import java.util.List;

/** Where PostgreSQL is and who the pipeline connects as; the embedded server is created to match. */
public final class PostgresSettings {

    public static final Setting<String> HOST = Setting.string("postgres.host", "127.0.0.1",
            "Address of PostgreSQL (the embedded server listens on it)");
    public static final Setting<Integer> PORT = Setting.port("postgres.port", 5432,
            "Port of PostgreSQL");
    public static final Setting<String> DATABASE = Setting.string("postgres.database", "pipeline",
            "Database holding the landing table");
    public static final Setting<String> USER = Setting.string("postgres.user", "pipeline",
            "Role the pipeline connects as (LOGIN, REPLICATION)");
    public static final Setting<String> PASSWORD = Setting.secret("postgres.password", "pipeline",
            "Password of that role; the default is meant for the embedded stack only");

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, DATABASE, USER, PASSWORD);

    private PostgresSettings() {
    }

    /** The JDBC URL of the configured database. */
    public static String jdbcUrl(dev.userpipeline.config.Settings settings) {
        return jdbcUrl(settings.get(HOST), settings.get(PORT), settings.get(DATABASE));
    }

    /**
     * The properties of a connection of the tools that watch the pipeline: the configured login, 5 s to connect, and
     * {@code socketTimeout} for any one answer, so a database that hangs fails the call instead of holding it.
     */
    public static java.util.Properties login(dev.userpipeline.config.Settings settings, java.time.Duration socketTimeout) {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", settings.get(USER));
        login.setProperty("password", settings.get(PASSWORD));
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
        return login;
    }

    public static String jdbcUrl(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
