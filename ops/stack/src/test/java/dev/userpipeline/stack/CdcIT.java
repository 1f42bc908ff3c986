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

    static final int USERS = 50_000;

    @Test
    void everyLandedUserReachesUsersCreatedExactlyOnceWithItsLandingRow(TestStack test) throws Exception {
        String batch = test.land(USERS, "cdc-" + UUID.randomUUID());

        Map<String, Integer> seen = new HashMap<>();
        JsonNode[] sampleHolder = new JsonNode[1];
        String[] keyHolder = new String[1];
        consume(batch, USERS, seen, (key, value) -> {
            if (sampleHolder[0] == null) {
                sampleHolder[0] = value;
                keyHolder[0] = key;
            }
        });
        JsonNode sample = sampleHolder[0];
        String sampleKey = keyHolder[0];
        assertThat(seen).hasSize(USERS);
        assertThat(seen.values()).as("each user once").allMatch(n -> n == 1);
        assertThat(sample).isNotNull();
        assertThat(sampleKey).isEqualTo("\"" + sample.path("id").asText() + "\"");
        assertThat(sample.path("source").asText()).isEqualTo("offline");
        assertThat(sample.path("fetched_at").asText()).isNotEmpty();
        JsonNode payload = new ObjectMapper().readTree(sample.path("payload").asText());
        assertThat(payload.path("login").path("uuid").asText()).isEqualTo(sample.path("id").asText());
        assertThat(payload.path("name").path("first").asText()).isNotEmpty();
    }

    @Test
    void aConnectWorkerKilledMidLoadLosesAndDuplicatesNothing(TestStack test) throws Exception {
        int users = 90_000;
        String seed = "cdc-kill-" + UUID.randomUUID();
        String batch = "batch-" + seed;
        SourceChoice source = SourceChoice.resolve(test.settings);
        List<LandingTableWriter> writers = IngestRunner.openWriters(test.settings);
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        ProcessHandle connect = test.stack.process("connect").orElseThrow();
        try {
            IngestProgress landed = new IngestJob(source.client(test.settings), RandomUserQuery.of(5_000, seed, 1), users, batch,
                    source.label()).run(writers, progress -> {
                        if (progress.fetched() >= users / 3 && killed.compareAndSet(false, true)) {
                            connect.destroyForcibly(); // SIGKILL: no clean shutdown, no offset flush
                        }
                    });
            assertThat(landed.inserted()).isEqualTo(users);
        } finally {
            IngestRunner.closeAll(writers);
        }
        assertThat(killed).isTrue();
        connect.onExit().get(30, TimeUnit.SECONDS);

        test.stack.up(StackListener.SILENT);
        assertThat(test.stack.process("connect")).isPresent();

        Map<String, Integer> seen = new HashMap<>();
        consume(batch, users, seen, (key, value) -> { });
        assertThat(seen).as("every landed user").hasSize(users);
        assertThat(seen.values()).as("each user once, for a read_committed consumer").allMatch(n -> n == 1);
    }

    @Test
    void theSlotLagReturnsToAboutZeroAndAStoppedWorkerIsWarnedAbout(TestStack test) throws Exception {
        Service connect = test.stack.service("connect").orElseThrow();
        Service postgres = test.stack.service("postgres").orElseThrow();
        // The slot is confirmed only as changes reach Kafka (lsn.flush.mode=connector): after a load it can take a few
        // minutes on a busy machine (191 s once in CI, 20 s in another run).
        String lag = awaitDetail(test, connect, d -> d.matches(".*slot lag \\d+ (B|KiB),.*"), 300);
        assertThat(lag).containsPattern("slot lag \\d+ (B|KiB)");

        ProcessHandle worker = test.stack.process("connect").orElseThrow();
        worker.destroyForcibly();
        worker.onExit().get(30, TimeUnit.SECONDS);
        String seed = "wal-" + UUID.randomUUID();
        SourceChoice source = SourceChoice.resolve(test.settings);
        List<LandingTableWriter> writers = IngestRunner.openWriters(test.settings);
        try {
            // About 90 MiB of WAL that nothing consumes while the worker is away (the warning starts at 64 MiB).
            new IngestJob(source.client(test.settings), RandomUserQuery.of(5_000, seed, 1), 60_000, "batch-" + seed,
                    source.label()).run(writers, p -> { });
        } finally {
            IngestRunner.closeAll(writers);
        }
        String warned = awaitDetail(test, postgres, d -> d.contains("WARNING"), 60);
        assertThat(warned).contains("WARNING: inactive slot " + dev.userpipeline.cdc.CdcContract.SLOT + " retains", "start Connect, or drop the slot");
        assertThat(test.stack.statusOf(connect).state()).isEqualTo(ServiceStatus.State.STOPPED);

        test.stack.up(StackListener.SILENT);
        assertThat(awaitDetail(test, connect, d -> d.matches(".*slot lag \\d+ (B|KiB),.*"), 300)).contains("RUNNING");
        assertThat(test.stack.statusOf(postgres).detail()).doesNotContain("WARNING");
    }

    private static String awaitDetail(TestStack test, Service service, java.util.function.Predicate<String> wanted, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String detail = "";
        while (System.nanoTime() < deadline) {
            detail = test.stack.statusOf(service).detail();
            if (wanted.test(detail)) {
                return detail;
            }
            Thread.sleep(1_000);
        }
        return detail;
    }

    /** Reads users_created from the start, read_committed, counting each key of one batch. */
    private static void consume(String batch, int expected, Map<String, Integer> seen,
            java.util.function.BiConsumer<String, JsonNode> onFirst) throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "cdc-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(dev.userpipeline.cdc.CdcContract.TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            long settleUntil = Long.MAX_VALUE;
            // Once all are seen, read a little longer: a copy sent twice would follow closely.
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode value = json.readTree(record.value());
                    if (batch.equals(value.path("batch_id").asText())) {
                        if (seen.merge(record.key(), 1, Integer::sum) == 1) {
                            onFirst.accept(record.key(), value);
                        }
                    }
                }
                if (seen.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
            }
        }
    }
}
