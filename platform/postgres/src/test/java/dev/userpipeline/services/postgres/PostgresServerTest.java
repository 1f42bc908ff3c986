package dev.userpipeline.services.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    static Path shared;
    static PostgresBinaries binaries;

    @BeforeAll
    static void install() throws Exception {
        binaries = PostgresBinaries.install(shared.resolve("dist"));
    }

    @Test
    void configurationIsLogicalAndDurable(@TempDir Path dir) throws Exception {
        PostgresServer server = new PostgresServer(binaries, dir.resolve("data"), dir.resolve("run"), "127.0.0.1", 15432);
        Files.createDirectories(dir.resolve("data"));
        server.writeConfig(Map.of("max_connections", "50"));
        String conf = Files.readString(dir.resolve("data/pipeline.conf"));
        assertThat(conf).contains("wal_level = logical", "fsync = on", "synchronous_commit = on",
                "port = 15432", "listen_addresses = '127.0.0.1'", "max_connections = 50",
                "unix_socket_directories = '" + dir.resolve("run").toAbsolutePath() + "'");
    }

    @Test
    void initdbCreatesADataDirectoryThatIncludesThePipelineSettings(@TempDir Path dir) throws Exception {
        PostgresServer server = new PostgresServer(binaries, dir.resolve("data"), dir.resolve("run"), "127.0.0.1", 15432);
        assertThat(server.isInitialized()).isFalse();
        server.initialize("postgres", "secret", dir.resolve("initdb.log"));
        assertThat(server.isInitialized()).isTrue();
        assertThat(Files.readString(dir.resolve("data/postgresql.conf"))).contains(PostgresServer.INCLUDE_LINE);
        assertThat(Files.readString(dir.resolve("data/pg_hba.conf"))).contains("scram-sha-256");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".pw"));
    }

    @Test
    void programsRunAsANonRootUserWhenTheLauncherIsRoot(@TempDir Path dir) {
        PostgresServer server = new PostgresServer(binaries, dir.resolve("data"), dir.resolve("run"), "127.0.0.1", 15432);
        List<String> command = server.serverCommand();
        assertThat(command.get(command.size() - 3)).endsWith("/bin/postgres");
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("-D", dir.resolve("data").toAbsolutePath().toString());
        if (PostgresServer.runningAsRoot()) {
            assertThat(command).startsWith(PostgresServer.NOT_AS_ROOT.toArray(String[]::new));
        } else {
            assertThat(command).hasSize(3);
        }
        assertThat(server.stopCommand(30)).contains("stop", "-m", "fast", "-w", "-t", "30");
    }

    @Test
    void findsNoPostmasterWhereNoneRan(@TempDir Path dir) {
        PostgresServer server = new PostgresServer(binaries, dir.resolve("data"), dir.resolve("run"), "127.0.0.1", 15432);
        assertThat(server.postmasterPid()).isEmpty();
    }
}
