package dev.userpipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The connector's JSON names what {@link CdcContract} declares, so the two cannot drift apart. */
class ConnectorConfigTest {

    static final Path FILE = Path.of("connector", CdcContract.CONNECTOR + ".json");

    @Test
    void theConnectorJsonNamesTheContractsTableSlotPublicationAndTopic() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Files.readString(FILE));
        JsonNode config = json.path("config");
        assertThat(json.path("name").asText()).isEqualTo(CdcContract.CONNECTOR);
        assertThat(config.path("table.include.list").asText()).isEqualTo(CdcContract.TABLE);
        assertThat(config.path("slot.name").asText()).isEqualTo(CdcContract.SLOT);
        assertThat(config.path("publication.name").asText()).isEqualTo(CdcContract.PUBLICATION);
        assertThat(config.path("transforms.route.replacement").asText()).isEqualTo(CdcContract.TOPIC);
        // Debezium names the table's topic <prefix>.<schema>.<table>; the route and the key predicate match it.
        String tableTopic = config.path("topic.prefix").asText() + "\\." + CdcContract.TABLE.replace(".", "\\.");
        assertThat(config.path("transforms.route.regex").asText()).isEqualTo(tableTopic);
        assertThat(config.path("predicates.landingTable.pattern").asText()).isEqualTo(tableTopic);
        assertThat(CdcContract.HEARTBEAT_TOPIC).isEqualTo("__debezium-heartbeat." + config.path("topic.prefix").asText());
    }

    @Test
    void theDatabaseCredentialsComeFromTheWorkersEnvironmentNeverFromTheJson() throws Exception {
        JsonNode config = new ObjectMapper().readTree(Files.readString(FILE)).path("config");
        assertThat(config.path("database.password").asText()).isEqualTo("${env:PIPELINE_POSTGRES_PASSWORD}");
        assertThat(config.path("database.user").asText()).startsWith("${env:PIPELINE_");
        assertThat(config.path("database.hostname").asText()).startsWith("${env:PIPELINE_");
    }

    @Test
    void theConnectorFileIsWhereTheStackLooksForIt() {
        assertThat(Path.of("../..").resolve(ChangeCapture.CONNECTOR_FILE).toAbsolutePath().normalize())
                .isEqualTo(FILE.toAbsolutePath().normalize());
    }

    @Test
    void slotLagReadsAsBytesKibibytesAndMebibytes() {
        assertThat(ReplicationSlot.bytes(512)).isEqualTo("512 B");
        assertThat(ReplicationSlot.bytes(3 * 1024 + 5)).isEqualTo("3 KiB");
        assertThat(ReplicationSlot.bytes(12L * 1024 * 1024)).isEqualTo("12 MiB");
    }
}
