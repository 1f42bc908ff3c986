package dev.userpipeline.services.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaServerConfigTest {

    @Test
    void oneProcessIsBrokerAndControllerOnTheConfiguredPorts(@TempDir Path dir) {
        Settings settings = Settings.of(KafkaSettings.ALL)
                .args("--kafka-data-dir=" + dir, "--kafka-port=19092", "--kafka-controller-port=19093",
                        "--kafka-advertised-host=broker.example")
                .resolve();
        Map<String, String> p = KafkaServerConfig.properties(settings);

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://broker.example:19092")
                .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:19093")
                .containsEntry("log.dirs", dir.resolve("data").toString())
                .containsEntry("metadata.log.dir", dir.resolve("metadata").toString())
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("num.partitions", "3");
    }

    @Test
    void aContainersBrokerServesItsNetworkAndTheHostOnTwoListeners() {
        Settings settings = Settings.of(KafkaSettings.ALL)
                .env(Map.of("PIPELINE_KAFKA_HOST", "0.0.0.0", "PIPELINE_KAFKA_ADVERTISED_HOST", "kafka",
                        "PIPELINE_KAFKA_EXTERNAL_PORT", "19092"))
                .resolve();
        Map<String, String> p = KafkaServerConfig.properties(settings);
        assertThat(p).containsEntry("listeners", "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093,EXTERNAL://0.0.0.0:19092")
                .containsEntry("advertised.listeners", "PLAINTEXT://kafka:9092,EXTERNAL://127.0.0.1:19092")
                .containsEntry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT")
                .containsEntry("controller.quorum.bootstrap.servers", "kafka:9093");
    }

    @Test
    void aNodeOfAThreeVoterQuorumReplicatesEverythingThreeTimesWithTwoInSync() {
        Settings settings = Settings.of(KafkaSettings.ALL)
                .env(Map.of("PIPELINE_KAFKA_NODE_ID", "2", "PIPELINE_KAFKA_HOST", "0.0.0.0", "PIPELINE_KAFKA_ADVERTISED_HOST", "kafka-2",
                        "PIPELINE_KAFKA_CONTROLLER_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093",
                        "PIPELINE_KAFKA_CLUSTER_ID", "MkU3OEVBNTcwNTJENDM2Qk"))
                .resolve();
        Map<String, String> p = KafkaServerConfig.properties(settings);
        assertThat(p).containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                .doesNotContainKey("controller.quorum.bootstrap.servers")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("min.insync.replicas", "2");
        assertThat(KafkaRunner.formatArguments(settings)).containsExactly("format", "-t", "MkU3OEVBNTcwNTJENDM2Qk");
    }

    @Test
    void aNodeAloneFormatsANewClusterWithItselfAsTheOneVoter() {
        Settings settings = Settings.of(KafkaSettings.ALL).resolve();
        assertThat(KafkaServerConfig.properties(settings)).containsEntry("min.insync.replicas", "1")
                .containsEntry("default.replication.factor", "1");
        assertThat(KafkaRunner.formatArguments(settings)).startsWith("format", "--standalone", "-t").hasSize(4);
    }

    @Test
    void aNodeOfSeveralWithoutTheSharedClusterIdIsRefusedWithTheSettingToSet() {
        Settings settings = Settings.of(KafkaSettings.ALL)
                .env(Map.of("PIPELINE_KAFKA_CONTROLLER_VOTERS", "1@a:9093,2@b:9093,3@c:9093")).resolve();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaRunner.formatArguments(settings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PIPELINE_KAFKA_CLUSTER_ID");
    }

    @Test
    void environmentVariablesConfigureTheProcessWhenNoFlagIsGiven() {
        Settings settings = Settings.of(KafkaSettings.ALL)
                .env(Map.of("PIPELINE_KAFKA_PORT", "29092", "PIPELINE_KAFKA_PARTITIONS", "6"))
                .resolve();
        Map<String, String> p = KafkaServerConfig.properties(settings);
        assertThat(p.get("listeners")).startsWith("PLAINTEXT://127.0.0.1:29092,");
        assertThat(p).containsEntry("num.partitions", "6");
    }

    @Test
    void writesAPropertiesFileKafkaCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/server.properties");
        KafkaRunner.writeProperties(file, Map.of("node.id", "1", "log.dirs", "/a b/c"));
        Properties read = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            read.load(in);
        }
        assertThat(read).containsEntry("node.id", "1").containsEntry("log.dirs", "/a b/c");
    }
}
