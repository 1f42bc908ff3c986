package dev.userpipeline.console;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.userpipeline.delivery.TopicTrace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The time from fetch to Cassandra of users published recently, sampled: the ids of the change events published since
 * the last sample (at most {@link #PER_PARTITION} of each partition, the latest), looked up in {@code created_users},
 * where the row holds when the user was fetched and the write its time. A user not written yet is asked again at the
 * next sample, for up to {@link #PENDING_FOR}; a rejected one never is, and drops out then.
 */
final class RecentLatency implements AutoCloseable {

    /** Percentiles of the latencies one sample found, in milliseconds, and how many users they are of. */
    record Latency(long p50, long p99, int users) {
    }

    static final int PER_PARTITION = 100;
    static final Duration PENDING_FOR = Duration.ofMinutes(2);
    private static final int IDS_PER_QUERY = 100;

    private final String bootstrap;
    private final String topic;
    private KafkaConsumer<String, String> consumer;
    private List<TopicPartition> partitions = List.of();
    /** Ids awaiting their row, with when their event was published; oldest first. */
    private final LinkedHashMap<UUID, Instant> pending = new LinkedHashMap<>();
    private PreparedStatement select;
    private CqlSession preparedOn;

    RecentLatency(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** One sample; null when no user published since the last one has its row yet. */
    synchronized Latency sample(CqlSession cassandra, String table, Duration timeout) {
        readNewEvents(timeout);
        Instant now = Instant.now();
        pending.values().removeIf(published -> published.isBefore(now.minus(PENDING_FOR)));
        if (pending.isEmpty()) {
            return null;
        }
        if (select == null || preparedOn != cassandra) {
            select = cassandra.prepare("select id, fetched_at, writetime(email) from " + table + " where id in ?");
            preparedOn = cassandra;
        }
        List<Long> millis = new ArrayList<>();
        List<UUID> ids = new ArrayList<>(pending.keySet());
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            for (Row row : cassandra.execute(select.bind(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY))).setTimeout(timeout))) {
                pending.remove(row.getUuid(0));
                Instant fetched = row.getInstant(1);
                if (fetched != null && !row.isNull(2)) {
                    millis.add(Duration.between(fetched, Instant.EPOCH.plusNanos(row.getLong(2) * 1_000)).toMillis());
                }
            }
        }
        return of(millis);
    }

    /** The p50 and p99 of these latencies (nearest rank); null when there are none. */
    static Latency of(List<Long> millis) {
        if (millis.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return new Latency(rank(sorted, 0.50), rank(sorted, 0.99), sorted.size());
    }

    private static long rank(List<Long> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    /** Reads the events published since the last call, at most the latest {@link #PER_PARTITION} of each partition. */
    private void readNewEvents(Duration timeout) {
        KafkaConsumer<String, String> events = consumer();
        if (partitions.isEmpty()) {
            partitions = events.partitionsFor(topic, timeout).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            events.assign(partitions);
        }
        Map<TopicPartition, Long> ends = events.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> remaining = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long end = ends.getOrDefault(partition, 0L);
            long position = events.position(partition, timeout);
            // A backlog (or the first sample): the latest events stand for the rest.
            if (end - position > PER_PARTITION) {
                events.seek(partition, end - PER_PARTITION);
            }
            if (end > position) {
                remaining.put(partition, end);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : events.poll(Duration.ofMillis(200))) {
                UUID id = TopicTrace.idOf(record.key());
                if (id != null) {
                    pending.put(id, Instant.ofEpochMilli(record.timestamp()));
                }
            }
            remaining.entrySet().removeIf(e -> events.position(e.getKey()) >= e.getValue());
        }
    }

    private KafkaConsumer<String, String> consumer() {
        if (consumer == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, PER_PARTITION * 4);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pipeline-console-latency");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        }
        return consumer;
    }

    /** Forgets the consumer (after a failure: the broker restarted, say); the next sample starts at the latest events. */
    synchronized void reset() {
        close();
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
        partitions = List.of();
        select = null;
        preparedOn = null;
    }
}
