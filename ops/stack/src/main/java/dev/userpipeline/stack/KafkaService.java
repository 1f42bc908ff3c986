package dev.userpipeline.stack;

import dev.userpipeline.cdc.CdcContract;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.Node;

/** Kafka 4 in KRaft mode: one process that is both broker and controller (or, elsewhere, a cluster of them). */
final class KafkaService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.services.kafka.KafkaRunner";

    private final String host;
    private final int port;
    private final int controllerPort;
    private final String brokers;

    KafkaService(Settings settings, Path home, Path root) {
        super(root, home, "platform/kafka");
        this.brokers = settings.get(ServiceAddresses.KAFKA);
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
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "pipeline-launcher");
        try (Admin admin = Admin.create(config)) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(10, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("the cluster reports no broker yet");
            }
            String ids = nodes.stream().map(Node::idString).sorted().collect(Collectors.joining(","));
            return "Kafka " + version() + "(KRaft, " + nodes.size() + (nodes.size() == 1 ? " broker " : " brokers ") + ids
                    + ", controller " + cluster.controller().get(10, TimeUnit.SECONDS).idString() + ")" + replication(admin);
        }
    }

    /** How the change topic is replicated, once it exists: what a node failure may cost. */
    private static String replication(Admin admin) throws Exception {
        if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(CdcContract.TOPIC)) {
            return "";
        }
        TopicDescription topic = admin.describeTopics(List.of(CdcContract.TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(CdcContract.TOPIC);
        int replicas = topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        int inSync = topic.partitions().stream().mapToInt(p -> p.isr().size()).min().orElse(0);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, CdcContract.TOPIC);
        String minInSync = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
                .get("min.insync.replicas").value();
        // Which broker leads each partition: the one whose loss moves the connector's writes elsewhere.
        String leaders = topic.partitions().stream()
                .map(p -> p.partition() + ":" + (p.leader() == null || p.leader().isEmpty() ? "none" : p.leader().idString()))
                .collect(Collectors.joining(" "));
        return ", " + CdcContract.TOPIC + " replication " + replicas + " (" + inSync + " in sync at least, min.insync.replicas "
                + minInSync + "), partition leaders " + leaders;
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
