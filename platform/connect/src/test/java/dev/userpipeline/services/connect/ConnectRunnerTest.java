package dev.userpipeline.services.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's configuration, as ConnectRunner writes it from the settings its process resolved. */
class ConnectRunnerTest {

    static Map<String, String> worker(Map<String, String> env) {
        Settings settings = ProcessSettings.resolve(ConnectSettings.PROCESS, env);
        return ConnectRunner.workerProperties(settings);
    }

    @Test
    void theWorkerReachesKafkaAtThePipelinesOneAddressAndListensWhereItsSettingsSay() {
        Map<String, String> p = worker(Map.of("PIPELINE_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "PIPELINE_CONNECT_HOST", "127.0.0.2", "PIPELINE_CONNECT_PORT", "18083", "PIPELINE_CONNECT_GROUP", "g"));
        assertThat(p).containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("listeners", "http://127.0.0.2:18083")
                .containsEntry("rest.advertised.host.name", "127.0.0.2")
                .containsEntry("group.id", "g");
        assertThat(Path.of(p.get("plugin.path"))).isAbsolute();
    }

    @Test
    void sourceRecordsAreExactlyOnceAndSecretsComeFromTheEnvironment() {
        Map<String, String> p = worker(Map.of());
        assertThat(p).containsEntry("exactly.once.source.support", "enabled")
                .containsEntry("config.providers", "env")
                .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(p.values()).noneMatch(value -> value.contains("pipeline") && value.contains("password"));
    }
}
