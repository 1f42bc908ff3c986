package dev.userpipeline.bench;

import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    TopicWatch(String bootstrap, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        // Join the group and fix the starting positions before anything is landed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        consumer.assignment().forEach(consumer::position);
    }

    /** Reads until {@code expected} users of the batch were seen, or the timeout. */
    List<Arrival> await(String batch, int expected, Duration timeout) {
        byte[] batchField = field("batch_id", batch);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (keys.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (indexOf(record.value(), batchField, 0) >= 0 && keys.add(record.key())) {
                    arrivals.add(new Arrival(Instant.parse(text(record.value(), "ingested_at")), Instant.ofEpochMilli(record.timestamp())));
                }
            }
        }
        return List.copyOf(arrivals);
    }

    // The watch shares the machine with the pipeline it measures, so it looks for two fields in the bytes
    // instead of parsing every 1.5 KiB value. A top-level field of the connector's compact JSON reads
    // "name":"value"; inside the payload text every quote is escaped, so the pattern cannot match there.
    static byte[] field(String name, String value) {
        return ("\"" + name + "\":\"" + value + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** The text value of a top-level field of a compact JSON object; it fails loudly when absent. */
    static String text(byte[] json, String name) {
        byte[] prefix = ("\"" + name + "\":\"").getBytes(StandardCharsets.UTF_8);
        int start = indexOf(json, prefix, 0);
        if (start < 0) {
            throw new IllegalStateException("no text field " + name + " in " + new String(json, StandardCharsets.UTF_8));
        }
        start += prefix.length;
        int end = start;
        while (end < json.length && json[end] != '"') {
            end++;
        }
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
