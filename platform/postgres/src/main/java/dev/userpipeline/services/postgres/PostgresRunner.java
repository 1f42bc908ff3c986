package dev.userpipeline.services.postgres;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL process of a container (or of any host that runs the pipeline's database on its own):
 * creates the data directory on the first start, writes the pipeline's server settings, runs
 * {@code postgres} as its child, and once it accepts connections makes sure the pipeline's role
 * (LOGIN, REPLICATION) and databases exist. Then it waits for the server; a SIGTERM stops the server in
 * PostgreSQL's fast mode.
 *
 * <p>No login is trusted, not even on the unix socket: the superuser's password is generated on the first
 * start and kept, readable by this user only, beside the data directory.
 */
public final class PostgresRunner {

    static final String SUPERUSER = "postgres";
    /** Written once the role and databases exist; a health check reads it. */
    static final String READY_FILE = "ready";

    private PostgresRunner() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("PostgresRunner", PostgresServerSettings.ALL, args);
        Path dir = settings.get(PostgresServerSettings.DATA_DIR).toAbsolutePath();
        Files.createDirectories(dir);
        Path ready = dir.resolve(READY_FILE);
        Files.deleteIfExists(ready);
        int port = settings.get(PostgresSettings.PORT);
        PostgresServer server = new PostgresServer(PostgresBinaries.install(settings.get(PostgresServerSettings.BINARIES_DIR)),
                dir.resolve("data"), dir.resolve("run"), settings.get(PostgresServerSettings.LISTEN), port);
        Path secret = dir.resolve("superuser-password");
        if (!server.isInitialized()) {
            String password = PipelineRole.newPassword();
            Files.deleteIfExists(secret);
            Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secret, password, StandardCharsets.UTF_8);
            System.out.println("Creating the data directory " + server.dataDir() + " (PostgreSQL " + server.version() + ")");
            server.initialize(SUPERUSER, password, dir.resolve("initdb.log"));
        }
        Files.createDirectories(dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        server.writeConfig(Map.of());
        Files.writeString(server.dataDir().resolve("pg_hba.conf"), clientAuthentication(settings.get(PostgresServerSettings.CLIENT_NETWORKS)),
                StandardCharsets.UTF_8);

        System.out.println("Starting PostgreSQL " + server.version() + " on port " + port);
        Process postgres = new ProcessBuilder(server.serverCommand()).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, postgres), "postgres-stop"));

        String superPassword = Files.readString(secret, StandardCharsets.UTF_8).trim();
        createRoleAndDatabases(settings, awaitConnection(postgres, port, superPassword));
        Files.writeString(ready, Instant.now() + "\n", StandardCharsets.UTF_8);
        System.out.println("PostgreSQL is ready: role " + settings.get(PostgresSettings.USER) + ", database "
                + settings.get(PostgresSettings.DATABASE));
        int exit = postgres.waitFor();
        Files.deleteIfExists(ready);
        System.out.println("PostgreSQL exited with code " + exit);
        System.exit(exit);
    }

    /**
     * {@code pg_hba.conf}, rewritten before each start: a password (SCRAM) for every login, from the socket,
     * loopback and the configured networks alone.
     */
    static String clientAuthentication(List<String> networks) {
        StringBuilder hba = new StringBuilder("# Written by PostgresRunner before each start; edits are lost.\n");
        hba.append("local all all scram-sha-256\n");
        hba.append("local replication all scram-sha-256\n");
        List<String> all = new ArrayList<>(List.of("127.0.0.1/32", "::1/128"));
        all.addAll(networks);
        for (String network : all) {
            hba.append("host all all ").append(network).append(" scram-sha-256\n");
            hba.append("host replication all ").append(network).append(" scram-sha-256\n");
        }
        return hba.toString();
    }

    /** The superuser's connection once the server accepts it; fails if the server exits first. */
    private static Connection awaitConnection(Process postgres, int port, String password) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!postgres.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with code " + postgres.exitValue()
                        + " before it accepted connections; its log is above.");
            }
            try {
                return connect(port, "postgres", SUPERUSER, password);
            } catch (SQLException notYet) {
                last = notYet;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within 3 minutes: "
                + (last == null ? "" : last.getMessage()));
    }

    /** Re-applied on every start, so that a changed password in the settings takes effect. */
    static void createRoleAndDatabases(Settings settings, Connection c) throws SQLException {
        List<String> databases = new ArrayList<>(List.of(settings.get(PostgresSettings.DATABASE)));
        databases.addAll(settings.get(PostgresServerSettings.EXTRA_DATABASES));
        try (c) {
            PipelineRole.ensure(c, settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD), databases);
        }
    }

    private static Connection connect(int port, String db, String role, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "postgres-runner");
        return DriverManager.getConnection(PostgresSettings.jdbcUrl("127.0.0.1", port, db), props);
    }

    /** pg_ctl's fast mode: open transactions roll back and the server stops at once, cleanly. */
    private static void stop(PostgresServer server, Process postgres) {
        if (!postgres.isAlive()) {
            return;
        }
        try {
            Process pgctl = new ProcessBuilder(server.stopCommand(60)).inheritIO().start();
            pgctl.waitFor(70, TimeUnit.SECONDS);
            postgres.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            postgres.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
