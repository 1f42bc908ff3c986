package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.source.RandomUserQuery;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Change data capture: landed users reach topic users_created through Debezium on Kafka Connect. */
@ExtendWith(StackExtension.class)
class CdcIT {

    static final int USERS = 100_000;

    @Test
    void everyLandedUserReachesUsersCreatedExactlyOnceWithItsLandingRow(TestStack test) throws Exception {
        String seed = "cdc-" + UUID.randomUUID();
        String batch = "batch-" + seed;
        SourceChoice source = SourceChoice.resolve(test.settings);
        List<LandingTableWriter> writers = IngestRunner.openWriters(test.settings);
        try {
            IngestProgress landed = new IngestJob(source.client(test.settings), RandomUserQuery.of(5_000, seed, 1), USERS, batch,
                    source.label()).run(writers, p -> { });
            assertThat(landed.inserted()).isEqualTo(USERS);
        } finally {
            IngestRunner.closeAll(writers);
        }

        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "cdc-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> seen = new HashMap<>();
        JsonNode sample = null;
        String sampleKey = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(ConnectService.TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (seen.size() < USERS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode value = json.readTree(record.value());
                    if (batch.equals(value.path("batch_id").asText())) {
                        seen.merge(record.key(), 1, Integer::sum);
                        if (sample == null) {
                            sample = value;
                            sampleKey = record.key();
                        }
                    }
                }
            }
            // Anything sent twice would follow the first copy closely: read a little longer.
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (batch.equals(json.readTree(record.value()).path("batch_id").asText())) {
                        seen.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(seen).hasSize(USERS);
        assertThat(seen.values()).as("each user once").allMatch(n -> n == 1);
        assertThat(sample).isNotNull();
        assertThat(sampleKey).isEqualTo("\"" + sample.path("id").asText() + "\"");
        assertThat(sample.path("source").asText()).isEqualTo("offline");
        assertThat(sample.path("fetched_at").asText()).isNotEmpty();
        JsonNode payload = json.readTree(sample.path("payload").asText());
        assertThat(payload.path("login").path("uuid").asText()).isEqualTo(sample.path("id").asText());
        assertThat(payload.path("name").path("first").asText()).isNotEmpty();
    }
}
