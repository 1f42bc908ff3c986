package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/** Kafka 4 in KRaft mode: one process that is both broker and controller. */
final class KafkaService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.kafka.KafkaRunner";

    private final String host;
    private final int port;
    private final int controllerPort;

    KafkaService(Settings settings, Path home, Path root) {
        super(root, home, "platform/kafka");
        this.host = settings.get(KafkaSettings.HOST);
        this.port = settings.get(KafkaSettings.PORT);
        this.controllerPort = settings.get(KafkaSettings.CONTROLLER_PORT);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "broker", host, port, KafkaSettings.PORT),
                new PortUse(name(), "controller", host, controllerPort, KafkaSettings.CONTROLLER_PORT));
    }

    @Override
    public String address() {
        return host + ":" + port;
    }

    @Override
    public List<dev.userpipeline.config.Setting<?>> settings() {
        return KafkaSettings.ALL;
    }

    @Override
    public Map<dev.userpipeline.config.Setting<?>, String> placement() {
        return Map.of(KafkaSettings.DATA_DIR, home.resolve("kafka").toAbsolutePath().toString());
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(RUNNER, List.of());
    }

    @Override
    public String check() throws Exception {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "pipeline-launcher");
        try (Admin admin = Admin.create(config)) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(6, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("the cluster reports no broker yet");
            }
            return "Kafka " + version() + "(KRaft, " + nodes.size() + " broker)";
        }
    }

    /** The version this checkout runs, when its module is built here (a broker elsewhere: not known). */
    private String version() {
        try {
            return module().dependencyVersion("kafka_2.13").map(v -> v + " ").orElse("");
        } catch (StackException notBuiltHere) {
            return "";
        }
    }
}
