package dev.userpipeline.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Cassandra 5: one node, the store the Spark job writes to. */
final class CassandraService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.cassandra.CassandraRunner";
    /** SimpleSnitch puts every node in this data centre. */
    static final String LOCAL_DC = CassandraSessions.LOCAL_DC;

    private final String host;
    private final int port;
    private final int storagePort;

    CassandraService(Settings settings, Path home, Path root) {
        super(root, home, "platform/cassandra");
        this.host = settings.get(CassandraSettings.HOST);
        this.port = settings.get(CassandraSettings.PORT);
        this.storagePort = settings.get(CassandraSettings.STORAGE_PORT);
    }

    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "CQL", host, port, CassandraSettings.PORT),
                new PortUse(name(), "storage", host, storagePort, CassandraSettings.STORAGE_PORT));
    }

    @Override
    public String address() {
        return host + ":" + port;
    }

    @Override
    public List<dev.userpipeline.config.Setting<?>> settings() {
        return CassandraSettings.ALL;
    }

    @Override
    public Map<dev.userpipeline.config.Setting<?>, String> placement() {
        return Map.of(CassandraSettings.DATA_DIR, home.resolve("cassandra").toAbsolutePath().toString());
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(RUNNER, List.of());
    }

    @Override
    public String check() {
        try (CqlSession session = CassandraSessions.open(address(), Duration.ofSeconds(5))) {
            Row row = session.execute("select release_version from system.local").one();
            if (row == null) {
                throw new IllegalStateException("system.local is empty");
            }
            return "Cassandra " + row.getString("release_version");
        }
    }
}
