package dev.userpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches {@code users_created} (read_committed, from its current end) for the users of one batch and
 * keeps, per user, when it was landed ({@code ingested_at}) and when it reached the topic (the record's
 * timestamp): the commit-to-topic latency of change data capture.
 */
final class TopicWatch implements AutoCloseable {

    /** One user seen in the topic. */
    record Arrival(Instant landed, Instant inTopic) {
        long latencyMillis() {
            return Duration.between(landed, inTopic).toMillis();
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    TopicWatch(String bootstrap, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        // Join the group and fix the starting positions before anything is landed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        consumer.assignment().forEach(consumer::position);
    }

    /** Reads until {@code expected} users of the batch were seen, or the timeout. */
    List<Arrival> await(String batch, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (keys.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                JsonNode value = json.readTree(record.value());
                if (batch.equals(value.path("batch_id").asText()) && keys.add(record.key())) {
                    arrivals.add(new Arrival(Instant.parse(value.path("ingested_at").asText()), Instant.ofEpochMilli(record.timestamp())));
                }
            }
        }
        return List.copyOf(arrivals);
    }

    /** The value at a percentile (0 to 100) of sorted numbers. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public void close() {
        consumer.close();
    }
}
