package dev.userpipeline.services.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL data directory and the command lines that create, run and stop its server.
 *
 * <p>The server runs with logical WAL (Debezium reads it through pgoutput) and with durable commits:
 * {@code fsync} and {@code synchronous_commit} stay on, whatever embedded test setups usually do.
 */
public final class PostgresServer {

    /** Settings the pipeline needs, written to {@code pipeline.conf} and included by postgresql.conf. */
    static final String INCLUDE_LINE = "include_if_exists = 'pipeline.conf'";

    /**
     * PostgreSQL's programs refuse to run as root. As root, they run inside a user namespace where
     * their user is not root (uid 1), while the files they write stay the caller's on disk.
     */
    static final List<String> NOT_AS_ROOT = List.of("unshare", "--user", "--map-user=1", "--map-group=1");

    private final PostgresBinaries binaries;
    private final Path dataDir;
    private final Path socketDir;
    private final String listenAddress;
    private final int port;

    public PostgresServer(PostgresBinaries binaries, Path dataDir, Path socketDir, String listenAddress, int port) {
        this.binaries = binaries;
        this.dataDir = dataDir.toAbsolutePath();
        this.socketDir = socketDir.toAbsolutePath();
        this.listenAddress = listenAddress;
        this.port = port;
    }

    public boolean isInitialized() {
        return Files.exists(dataDir.resolve("PG_VERSION"));
    }

    /**
     * Creates the data directory with {@code superuser} as its owner role. Every login needs a password,
     * on the unix socket as over TCP: a trusted socket would make any local account that reaches it superuser.
     */
    public void initialize(String superuser, String superuserPassword, Path log) throws IOException, InterruptedException {
        Path parent = dataDir.getParent();
        dev.userpipeline.config.OwnerOnlyFiles.createDirectories(parent);
        Path pwfile = Files.createTempFile(parent, "initdb-", ".pw",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            List<String> command = program("initdb",
                    "--pgdata=" + dataDir,
                    "--username=" + superuser,
                    "--pwfile=" + pwfile,
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--data-checksums");
            run(command, log, 180);
        } finally {
            Files.deleteIfExists(pwfile);
        }
        Files.writeString(dataDir.resolve("postgresql.conf"), "\n" + INCLUDE_LINE + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The server settings of the pipeline, rewritten before each start so that port changes apply. */
    public void writeConfig(Map<String, String> extra) throws IOException {
        // The socket's directory is the server user's alone: no other local account reaches the socket at all.
        dev.userpipeline.config.OwnerOnlyFiles.createDirectories(socketDir);
        dev.userpipeline.config.OwnerOnlyFiles.restrict(socketDir);
        StringBuilder conf = new StringBuilder("# Written by the pipeline launcher before each start; edits are lost.\n");
        conf.append("listen_addresses = '").append(listenAddress).append("'\n");
        conf.append("port = ").append(port).append('\n');
        conf.append("unix_socket_directories = '").append(socketDir).append("'\n");
        conf.append("unix_socket_permissions = 0700\n");
        conf.append("wal_level = logical\n");
        conf.append("max_wal_senders = 10\n");
        conf.append("max_replication_slots = 10\n");
        conf.append("fsync = on\n");
        conf.append("synchronous_commit = on\n");
        conf.append("full_page_writes = on\n");
        conf.append("max_connections = 100\n");
        // Bulk landing writes hundreds of MB of WAL a minute; fewer checkpoints mean fewer full-page images.
        conf.append("shared_buffers = 512MB\n");
        conf.append("wal_buffers = 64MB\n");
        conf.append("max_wal_size = 4GB\n");
        conf.append("checkpoint_timeout = 15min\n");
        conf.append("logging_collector = off\n");
        conf.append("log_line_prefix = '%m [%p] %q%u@%d '\n");
        conf.append("log_timezone = 'UTC'\n");
        conf.append("timezone = 'UTC'\n");
        extra.forEach((key, value) -> conf.append(key).append(" = ").append(value).append('\n'));
        dev.userpipeline.config.OwnerOnlyFiles.write(dataDir.resolve("pipeline.conf"), conf.toString());
    }

    /** The command that runs the server in the foreground; its log goes to standard error. */
    public List<String> serverCommand() {
        return program("postgres", "-D", dataDir.toString());
    }

    /** The command that stops the server of this data directory, waiting for it to finish. */
    public List<String> stopCommand(int timeoutSeconds) {
        return program("pg_ctl", "stop", "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", Integer.toString(timeoutSeconds));
    }

    /**
     * The postmaster's process id from {@code postmaster.pid}, if the file is there. The postmaster outlives
     * whoever started it, so this is how a launcher finds a server it did not start itself.
     */
    public Optional<Long> postmasterPid() {
        return postmasterPid(dataDir);
    }

    /** The same, for a data directory whose binaries need not be installed. */
    public static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    public String version() {
        return binaries.version();
    }

    /** The command line of one of PostgreSQL's programs, run as a non-root user when this process is root. */
    List<String> program(String name, String... args) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(NOT_AS_ROOT);
        }
        command.add(binaries.bin(name).toString());
        command.addAll(List.of(args));
        return command;
    }

    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            // Not Linux: no /proc, and no need for the namespace either.
        }
        return false;
    }

    private static void run(List<String> command, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in " + timeoutSeconds + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.stream().filter(c -> c.startsWith("/")).findFirst().map(c -> Path.of(c).getFileName().toString()).orElse(command.get(0)) + " failed with exit code " + process.exitValue()
                    + "; see " + log);
        }
    }
}
