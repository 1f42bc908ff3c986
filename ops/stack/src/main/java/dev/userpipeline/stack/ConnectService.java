package dev.userpipeline.stack;

import dev.userpipeline.cdc.CdcContract;
import dev.userpipeline.cdc.ChangeCapture;
import dev.userpipeline.cdc.ReplicationSlot;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingSchema;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka Connect with the Debezium PostgreSQL connector: the CDC stage ({@code stages/3-cdc}) on its worker.
 * Before the connector is registered, the landing table it captures is migrated and its topics are created.
 */
final class ConnectService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.connect.ConnectRunner";

    private final Settings settings;
    private final Path root;
    private final String host;
    private final int port;
    private final ChangeCapture capture;

    ConnectService(Settings settings, Path home, Path root) {
        super(root, home, "platform/connect");
        this.settings = settings;
        this.root = root;
        this.host = settings.get(ConnectSettings.HOST);
        this.port = settings.get(ConnectSettings.PORT);
        this.capture = new ChangeCapture(URI.create(address() + "/"), settings.get(ServiceAddresses.KAFKA));
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("postgres", "kafka");
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "REST", host, port, ConnectSettings.PORT));
    }

    @Override
    public String address() {
        return "http://" + host + ":" + port;
    }

    /** The worker's keys, and the database's, which the connector's JSON names as ${env:...}. */
    @Override
    public List<Setting<?>> settings() {
        return ConnectSettings.PROCESS;
    }

    @Override
    public Map<Setting<?>, String> placement() {
        return Map.of(ConnectSettings.PLUGIN_PATH, module().dir().resolve("target/plugins").toString(),
                ConnectSettings.DATA_DIR, home.resolve("connect").toAbsolutePath().toString());
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(RUNNER, List.of());
    }

    @Override
    public void bootstrap() throws Exception {
        capture.workerVersion();
        LandingSchema.migrate(PostgresSettings.jdbcUrl(settings), settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD));
        capture.createTopics();
        capture.register(root.resolve(ChangeCapture.CONNECTOR_FILE));
    }

    @Override
    public String check() throws Exception {
        String version = capture.workerVersion();
        String state = capture.connectorState();
        String lag = ReplicationSlot.lag(PostgresSettings.jdbcUrl(settings), settings.get(PostgresSettings.USER),
                settings.get(PostgresSettings.PASSWORD));
        return "Connect " + version + ", " + state + ", " + lag + ", " + CdcContract.TOPIC + " "
                + String.format(Locale.ROOT, "%,d", TopicSize.records(settings.get(ServiceAddresses.KAFKA), CdcContract.TOPIC)) + " records";
    }
}
