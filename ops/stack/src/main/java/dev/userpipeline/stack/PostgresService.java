package dev.userpipeline.stack;

import dev.userpipeline.cdc.ReplicationSlot;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.postgres.PostgresBinaries;
import dev.userpipeline.services.postgres.PipelineRole;
import dev.userpipeline.services.postgres.PostgresServer;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 17: the landing store. The server process is {@code postgres} itself, run from the
 * Maven-packaged binaries; its superuser {@code postgres} is used only here, to create the pipeline's
 * role (LOGIN, REPLICATION) and database.
 */
final class PostgresService implements Service {

    static final String SUPERUSER = "postgres";

    private final Path dir;
    private final String host;
    private final int port;
    private final String database;
    private final String airflowDatabase;
    private final String user;
    private final String password;
    private final Path binariesRoot;
    private PostgresServer server;

    PostgresService(Settings settings, Path home) {
        this.dir = home.resolve("postgres");
        this.binariesRoot = dir.resolve("dist");
        this.host = settings.get(PostgresSettings.HOST);
        this.port = settings.get(PostgresSettings.PORT);
        this.database = settings.get(PostgresSettings.DATABASE);
        this.airflowDatabase = settings.get(dev.userpipeline.services.airflow.AirflowSettings.DATABASE);
        this.user = settings.get(PostgresSettings.USER);
        this.password = settings.get(PostgresSettings.PASSWORD);
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "SQL", host, port, PostgresSettings.PORT));
    }

    @Override
    public String address() {
        return host + ":" + port;
    }

    private synchronized PostgresServer server() throws IOException {
        if (server == null || !Files.isDirectory(server.dataDir().getParent().resolve("dist"))) {
            server = new PostgresServer(PostgresBinaries.install(binariesRoot), dir.resolve("data"), dir.resolve("run"), host, port);
        }
        return server;
    }

    @Override
    public void prepare(Path log) throws Exception {
        PostgresServer pg = server();
        if (!pg.isInitialized()) {
            String superPassword = PipelineRole.newPassword();
            pg.initialize(SUPERUSER, superPassword, log);
            dev.userpipeline.config.OwnerOnlyFiles.write(superuserPasswordFile(), superPassword);
        }
        pg.writeConfig(Map.of());
    }

    @Override
    public List<String> command() throws IOException {
        return server().serverCommand();
    }

    @Override
    public void bootstrap() throws SQLException, IOException {
        String superPassword = Files.readString(superuserPasswordFile(), StandardCharsets.UTF_8).trim();
        try (Connection c = connect("postgres", SUPERUSER, superPassword)) {
            // The pipeline's own database, and Airflow's metadata database beside it.
            PipelineRole.ensure(c, user, password, List.of(database, airflowDatabase));
        }
    }

    @Override
    public String check() throws SQLException {
        try (Connection c = connect(database, user, password); Statement st = c.createStatement()) {
            String walLevel = single(st, "show wal_level");
            if (!"logical".equals(walLevel)) {
                throw new SQLException("wal_level is " + walLevel + ", not logical: change data capture cannot read it");
            }
            return "PostgreSQL " + single(st, "show server_version") + retainedWalWarning(st);
        }
    }

    /** WAL an inactive replication slot holds back grows without bound: worth a warning in status. */
    static final long RETAINED_WAL_WARNING_BYTES = 64L * 1024 * 1024;

    private static String retainedWalWarning(Statement st) throws SQLException {
        StringBuilder warning = new StringBuilder();
        try (ResultSet rs = st.executeQuery("select slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) "
                + "from pg_replication_slots where not active and restart_lsn is not null")) {
            while (rs.next()) {
                if (rs.getLong(2) >= RETAINED_WAL_WARNING_BYTES) {
                    warning.append("; WARNING: inactive slot ").append(rs.getString(1)).append(" retains ")
                            .append(ReplicationSlot.bytes(rs.getLong(2))).append(" of WAL (start Connect, or drop the slot)");
                }
            }
        }
        return warning.toString();
    }

    @Override
    public boolean stop(ProcessHandle process, Duration timeout) {
        // SIGTERM would be a "smart" shutdown that waits for every client to leave; pg_ctl's fast mode
        // rolls back open transactions and stops at once, cleanly.
        try {
            List<String> command = new ArrayList<>(server().stopCommand((int) Math.max(1, timeout.toSeconds())));
            Process pgctl = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            pgctl.waitFor(timeout.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Fall through to signals below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ProcessStopper.awaitExit(process, Duration.ofSeconds(2))) {
            return false;
        }
        return ProcessStopper.terminate(process, Duration.ofSeconds(5));
    }

    @Override
    public List<ProcessHandle> strays() {
        return PostgresServer.postmasterPid(dir.resolve("data")).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(List::of).orElse(List.of());
    }

    private Path superuserPasswordFile() {
        return dir.resolve("superuser-password");
    }

    private Connection connect(String db, String role, String secret) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", secret);
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("ApplicationName", "pipeline-launcher");
        return DriverManager.getConnection(PostgresSettings.jdbcUrl(host, port, db), props);
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
