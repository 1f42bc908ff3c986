package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingSchema;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Kafka Connect with the Debezium PostgreSQL connector: change data capture of the landing table into
 * topic {@code users_created}. Before the connector is registered (idempotently, from the JSON file in
 * {@code platform/connect/connectors/}), the landing table is migrated and the topics are created with
 * their partitions and retention.
 */
final class ConnectService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.connect.ConnectRunner";
    static final String CONNECTOR = "users-created";
    static final String TOPIC = ConnectSettings.CDC_TOPIC;
    static final int PARTITIONS = 3;
    static final String HEARTBEAT_TOPIC = "__debezium-heartbeat.pipeline";
    /** The replication slot named in the connector's configuration. */
    static final String SLOT = "users_raw_slot";

    private final Settings settings;
    private final String host;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    ConnectService(Settings settings, Path home, Path root) {
        super(root, home, "platform/connect");
        this.settings = settings;
        this.host = settings.get(ConnectSettings.HOST);
        this.port = settings.get(ConnectSettings.PORT);
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

    @Override
    public List<String> command() throws Exception {
        return javaCommand(RUNNER, List.of(
                ConnectSettings.HOST.flag() + "=" + host,
                ConnectSettings.PORT.flag() + "=" + port,
                ConnectSettings.BOOTSTRAP.flag() + "=" + kafka(),
                ConnectSettings.PLUGIN_PATH.flag() + "=" + module().dir().resolve("target/plugins"),
                ConnectSettings.DATA_DIR.flag() + "=" + home.resolve("connect").toAbsolutePath()));
    }

    /** The connector's configuration names these (${env:...}); the password never appears in it. */
    @Override
    public Map<String, String> environment() {
        return Map.of(
                PostgresSettings.HOST.env(), settings.get(PostgresSettings.HOST),
                PostgresSettings.PORT.env(), Integer.toString(settings.get(PostgresSettings.PORT)),
                PostgresSettings.DATABASE.env(), settings.get(PostgresSettings.DATABASE),
                PostgresSettings.USER.env(), settings.get(PostgresSettings.USER),
                PostgresSettings.PASSWORD.env(), settings.get(PostgresSettings.PASSWORD));
    }

    private String kafka() {
        return settings.get(KafkaSettings.HOST) + ":" + settings.get(KafkaSettings.PORT);
    }

    @Override
    public void bootstrap() throws Exception {
        get("/");
        LandingSchema.migrate(PostgresSettings.jdbcUrl(settings), settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD));
        createTopics();
        JsonNode connector = json.readTree(Files.readString(module().dir().resolve("connectors/" + CONNECTOR + ".json")));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(address() + "/connectors/" + CONNECTOR + "/config"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(connector.path("config"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200 && put.statusCode() != 201) {
            throw new IllegalStateException("registering connector " + CONNECTOR + " gave HTTP " + put.statusCode() + ": " + put.body());
        }
        // A task that failed while a service it needs was away (Kafka or PostgreSQL restarted) starts again here.
        http.send(HttpRequest.newBuilder(URI.create(address() + "/connectors/" + CONNECTOR + "/restart?includeTasks=true&onlyFailed=true"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka(), "request.timeout.ms", 10_000))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            if (!existing.contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1).configs(Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
                        "cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);
            }
            if (!existing.contains(HEARTBEAT_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(HEARTBEAT_TOPIC, 1, (short) 1).configs(Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(1).toMillis()))))).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String check() throws Exception {
        JsonNode version = json.readTree(get("/"));
        JsonNode status = json.readTree(get("/connectors/" + CONNECTOR + "/status"));
        String connectorState = status.path("connector").path("state").asText();
        if (!connectorState.equals("RUNNING")) {
            throw new IllegalStateException("connector " + CONNECTOR + " is " + connectorState + firstLine(status.path("connector").path("trace")));
        }
        JsonNode tasks = status.path("tasks");
        if (tasks.isEmpty()) {
            throw new IllegalStateException("connector " + CONNECTOR + " has no task yet");
        }
        for (JsonNode task : tasks) {
            if (!task.path("state").asText().equals("RUNNING")) {
                throw new IllegalStateException("task " + task.path("id").asText() + " of " + CONNECTOR + " is "
                        + task.path("state").asText() + firstLine(task.path("trace")));
            }
        }
        return "Connect " + version.path("version").asText() + ", " + CONNECTOR + " RUNNING (" + tasks.size() + " task), "
                + slotLag() + ", " + TOPIC + " " + String.format(java.util.Locale.ROOT, "%,d", TopicSize.records(kafka(), TOPIC)) + " records";
    }

    /** How much WAL the connector's replication slot has not confirmed yet. */
    private String slotLag() {
        String url = PostgresSettings.jdbcUrl(settings);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, settings.get(PostgresSettings.USER),
                settings.get(PostgresSettings.PASSWORD));
                java.sql.PreparedStatement ps = c.prepareStatement("select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
                        + "from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, SLOT);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "slot lag " + PostgresService.bytes(rs.getLong(1)) : "no slot yet";
            }
        } catch (java.sql.SQLException e) {
            return "slot lag unknown (" + e.getMessage() + ")";
        }
    }

    private static String firstLine(JsonNode trace) {
        if (trace.isMissingNode() || trace.isNull()) {
            return "";
        }
        String text = trace.asText();
        return ": " + (text.contains("\n") ? text.substring(0, text.indexOf('\n')) : text);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(address() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " gave HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
