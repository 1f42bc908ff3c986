package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTest {

    @Test
    void theEmbeddedStacksAddressesFollowItsPortsUnlessGiven() {
        Settings embedded = StackSettings.derived(Settings.of(StackSettings.ALL)
                .args("--kafka-port=19092", "--cassandra-port=19042").resolve());
        assertThat(embedded.get(ServiceAddresses.KAFKA)).isEqualTo("127.0.0.1:19092");
        assertThat(embedded.get(ServiceAddresses.CASSANDRA)).isEqualTo("127.0.0.1:19042");
        assertThat(embedded.origin(ServiceAddresses.KAFKA)).isEqualTo("derived from kafka.host and kafka.port");

        Settings external = StackSettings.derived(Settings.of(StackSettings.ALL)
                .args("--kafka-port=19092", "--kafka-bootstrap-servers=k1:9092,k2:9092").resolve());
        assertThat(external.get(ServiceAddresses.KAFKA)).isEqualTo("k1:9092,k2:9092");
    }

    @Test
    void aDerivedAddressIsNotSavedSoItFollowsThePortsNextTime(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("settings.properties");
        StackSettings.derived(Settings.of(StackSettings.ALL).args("--kafka-port=19092").resolve()).save(file);
        assertThat(Files.readString(file)).contains("kafka.port=19092").doesNotContain("kafka.bootstrap.servers");
        Settings later = StackSettings.derived(Settings.of(StackSettings.ALL).saved(Settings.load(file), "saved")
                .args("--kafka-port=29092").resolve());
        assertThat(later.get(ServiceAddresses.KAFKA)).isEqualTo("127.0.0.1:29092");
        assertThat(later.get(KafkaSettings.ADVERTISED_HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void everyKeyAServiceReadsIsAStackSettingOrPlacedByTheService(@TempDir Path home) {
        Stack stack = new Stack(Settings.of(StackSettings.ALL).args("--home=" + home, "--ingest-source=offline").resolve(), RepoRoot.find());
        for (String name : stack.serviceNames()) {
            Service service = stack.service(name).orElseThrow();
            assertThat(stack.handoff(service)).as(name).hasSize(service.settings().size());
        }
    }
}
