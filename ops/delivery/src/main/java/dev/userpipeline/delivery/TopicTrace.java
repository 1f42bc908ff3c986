package dev.userpipeline.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Finds given users in a topic keyed by user id, reading only the records written since a moment
 * (found by timestamp), as a {@code read_committed} consumer without a group: the trail of one
 * batch, not a scan of the topic's history.
 */
public final class TopicTrace {

    private final String bootstrap;

    public TopicTrace(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * The values of the records whose key is one of {@code wanted}, from {@code since} up to the
     * topic's end at the time of the call.
     */
    public Map<UUID, String> find(String topic, Instant since, Set<UUID> wanted, Duration timeout) {
        Map<UUID, String> found = new HashMap<>();
        scan(topic, since, timeout, record -> {
            UUID id = idOf(record.key());
            if (id != null && wanted.contains(id)) {
                found.put(id, record.value());
            }
        });
        return found;
    }

    /**
     * How many committed records each user id has in the whole topic, up to its end at the time of the call:
     * a change topic written exactly once has one per landed user. Records whose key is no user id are
     * counted under {@code null}. Holds every id in memory (about 100 bytes each).
     */
    public Map<UUID, Integer> keyCounts(String topic, Duration timeout) {
        Map<UUID, Integer> counts = new HashMap<>();
        scan(topic, Instant.EPOCH, timeout, record -> counts.merge(idOf(record.key()), 1, Integer::sum));
        return counts;
    }

    /** Where a record is, and what it holds. */
    public record Found(String topic, int partition, long offset, Instant timestamp, String value) {
    }

    /**
     * The first record since {@code since} whose key is {@code id}, reading every partition from that moment up to
     * the topic's end at the time of the call; empty when there is none.
     *
     * @throws IllegalStateException when reading that far takes longer than {@code timeout}
     */
    public Optional<Found> first(String topic, Instant since, UUID id, Duration timeout) {
        Found[] found = new Found[1];
        scanUntil(topic, since, timeout, record -> {
            if (found[0] == null && id.equals(idOf(record.key()))) {
                found[0] = new Found(topic, record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()), record.value());
            }
            return found[0] != null;
        });
        return Optional.ofNullable(found[0]);
    }

    private void scan(String topic, Instant since, Duration timeout, Consumer<ConsumerRecord<String, String>> each) {
        scanUntil(topic, since, timeout, record -> {
            each.accept(record);
            return false;
        });
    }

    /** Reads from {@code since} to the end, record by record, until {@code done} says so. */
    private void scanUntil(String topic, Instant since, Duration timeout, java.util.function.Predicate<ConsumerRecord<String, String>> done) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> from = new HashMap<>();
            partitions.forEach(p -> from.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(from, timeout);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                long end = ends.get(partition);
                if (start != null && start.offset() < end) {
                    consumer.seek(partition, start.offset());
                    remaining.put(partition, end);
                }
            }
            consumer.assign(remaining.keySet());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (done.test(record)) {
                        return;
                    }
                }
                // A transaction's end marker takes an offset too, so the position passes the end even when
                // the last record read is before it.
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            if (!remaining.isEmpty()) {
                throw new IllegalStateException("reading " + topic + " since " + since + " took longer than " + timeout.toSeconds() + " s");
            }
        }
    }

    /** Keys are the id as a JSON string (Connect's JSON converter) or as plain text. */
    public static UUID idOf(String key) {
        if (key == null) {
            return null;
        }
        String text = key.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
