package dev.userpipeline.stack;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.clients.KeptSession;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.userpipeline.stream.StreamSettings;

/** Cassandra 5: one node, the store the Spark job writes to. */
final class CassandraService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.cassandra.CassandraRunner";
    /** SimpleSnitch puts every node in this data centre. */
    static final String LOCAL_DC = CassandraSessions.LOCAL_DC;

    private final String host;
    private final int port;
    private final int storagePort;
    private final String contactPoints;
    private final String keyspace;

    CassandraService(Settings settings, Path home, Path root) {
        super(root, home, "platform/cassandra");
        this.contactPoints = settings.get(ServiceAddresses.CASSANDRA);
        this.keyspace = settings.get(StreamSettings.KEYSPACE);
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

    /** The nodes the driver sees up and down, and the pipeline keyspace's replication once it exists. */
    @Override
    public String check() {
        return KeptSession.of(contactPoints).use(session -> {
            Row row = session.execute("select release_version from system.local").one();
            if (row == null) {
                throw new IllegalStateException("system.local is empty");
            }
            Collection<Node> nodes = session.getMetadata().getNodes().values();
            long up = nodes.stream().filter(n -> n.getState() == NodeState.UP).count();
            String down = nodes.stream().filter(n -> n.getState() == NodeState.DOWN || n.getState() == NodeState.FORCED_DOWN)
                    .map(n -> String.valueOf(n.getEndPoint())).sorted().collect(Collectors.joining(", "));
            Row replication = session.execute(SimpleStatement.newInstance(
                    "select replication from system_schema.keyspaces where keyspace_name = ?", keyspace)).one();
            return "Cassandra " + row.getString("release_version") + ", " + up + " of " + nodes.size()
                    + (nodes.size() == 1 ? " node" : " nodes") + " up" + (down.isEmpty() ? "" : " (down: " + down + ")")
                    + (replication == null ? "" : ", " + keyspace + " replication "
                            + replication.getMap("replication", String.class, String.class).getOrDefault("replication_factor", "?"));
        });
    }
}
