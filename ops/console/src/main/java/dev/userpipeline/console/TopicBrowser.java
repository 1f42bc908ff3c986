package dev.userpipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.clients.TopicSize;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The topics of the cluster as Kafka tools show them: partitions with their leader, first and end offsets (as a
 * read_committed consumer sees them), size on disk, retention; the latest messages of a topic or a partition, read
 * committed; and the dead letters grouped by reason.
 */
final class TopicBrowser implements AutoCloseable {

    static final int MAX_MESSAGES = 500;
    /** Dead letters read to group them: the latest of the topic, enough to show every reason of a bad day. */
    static final int DEAD_LETTERS_READ = 5_000;
    static final int EXAMPLES_PER_REASON = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private Admin admin;

    TopicBrowser(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every topic of the cluster (Kafka's internal ones aside), with its partitions and settings. */
    ObjectNode topics() throws Exception {
        try {
            Admin kafka = admin();
            Set<String> names = new TreeSet<>(kafka.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            Map<String, TopicDescription> descriptions = kafka.describeTopics(names).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p -> {
                earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            }));
            ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var starts = kafka.listOffsets(earliest, committed).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var ends = kafka.listOffsets(latest, committed).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, Long> sizes = sizes(kafka, descriptions.values());
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            var configs = kafka.describeConfigs(resources).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("topics");
            for (String name : names) {
                TopicDescription description = descriptions.get(name);
                ObjectNode topic = list.addObject().put("name", name);
                var config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                topic.put("retentionMs", Long.parseLong(config.get("retention.ms").value()));
                topic.put("cleanupPolicy", config.get("cleanup.policy").value());
                long records = 0;
                long bytes = 0;
                ArrayNode partitions = topic.putArray("partitions");
                for (TopicPartitionInfo info : description.partitions()) {
                    TopicPartition tp = new TopicPartition(name, info.partition());
                    long start = starts.get(tp).offset();
                    long end = ends.get(tp).offset();
                    long size = sizes.getOrDefault(tp, 0L);
                    records += end - start;
                    bytes += size;
                    partitions.addObject().put("partition", info.partition())
                            .put("leader", info.leader() == null ? -1 : info.leader().id())
                            .put("replicas", info.replicas().size()).put("inSync", info.isr().size())
                            .put("startOffset", start).put("endOffset", end).put("bytes", size);
                }
                topic.put("offsets", records).put("bytes", bytes);
            }
            return root;
        } catch (Exception e) {
            reset();
            throw e;
        }
    }

    /** Bytes each partition takes on disk: its leader's copy. */
    private static Map<TopicPartition, Long> sizes(Admin kafka, java.util.Collection<TopicDescription> topics) throws Exception {
        Set<Integer> brokers = new TreeSet<>();
        topics.forEach(t -> t.partitions().forEach(p -> {
            if (p.leader() != null) {
                brokers.add(p.leader().id());
            }
        }));
        Map<TopicPartition, Long> sizes = new HashMap<>();
        Map<Integer, Map<String, LogDirDescription>> dirs = kafka.describeLogDirs(brokers).allDescriptions().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (TopicDescription topic : topics) {
            for (TopicPartitionInfo p : topic.partitions()) {
                if (p.leader() == null) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                for (LogDirDescription dir : dirs.getOrDefault(p.leader().id(), Map.of()).values()) {
                    ReplicaInfo replica = dir.replicaInfos().get(tp);
                    if (replica != null) {
                        sizes.merge(tp, replica.size(), Long::max);
                    }
                }
            }
        }
        return sizes;
    }

    /**
     * The latest {@code limit} messages of a topic (of one partition, or the latest of each, newest first), read
     * committed: key, value (JSON shown as JSON), headers, timestamp, partition and offset.
     */
    ObjectNode messages(String topic, Integer partition, int limit) {
        List<ConsumerRecord<byte[], byte[]>> records = latest(topic, partition, limit);
        ObjectNode root = JSON.createObjectNode().put("topic", topic);
        if (partition != null) {
            root.put("partition", partition);
        }
        ArrayNode list = root.putArray("messages");
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ObjectNode message = list.addObject().put("partition", record.partition()).put("offset", record.offset())
                    .put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
            message.set("key", readable(record.key()));
            message.set("value", readable(record.value()));
            ObjectNode headers = message.putObject("headers");
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return root;
    }

    /**
     * The dead letters grouped by reason ({@link #kindOf}: "email is not an address" of every address), each with its count and a few examples, read from the latest {@link #DEAD_LETTERS_READ}.
     */
    ObjectNode deadLetters(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = latest(topic, null, DEAD_LETTERS_READ);
        Map<String, List<JsonNode>> byReason = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode letter = readable(record.value());
            String reason = letter.path("reason").asText("(no reason given)");
            String kind = kindOf(reason);
            counts.merge(kind, 1, Integer::sum);
            List<JsonNode> examples = byReason.computeIfAbsent(kind, k -> new ArrayList<>());
            if (examples.size() < EXAMPLES_PER_REASON) {
                examples.add(JSON.createObjectNode().put("reason", reason).put("id", letter.path("id").asText(null))
                        .put("partition", record.partition()).put("offset", record.offset())
                        .put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString())
                        .put("batchId", letter.path("batch_id").asText(null)));
            }
        }
        ObjectNode root = JSON.createObjectNode().put("topic", topic).put("read", records.size());
        ArrayNode reasons = root.putArray("reasons");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> {
            ObjectNode reason = reasons.addObject().put("reason", e.getKey()).put("count", e.getValue());
            byReason.get(e.getKey()).forEach(reason.withArray("examples")::add);
        });
        return root;
    }

    /**
     * What a reason says without the values it names: its words before the first colon, without parentheses
     * ("payload login.uuid (...) differs from the row id", "email is not an address: x@y" is "email is not an address").
     */
    static String kindOf(String reason) {
        String words = reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason;
        return words.replaceAll("\\s*\\([^)]*\\)", "").strip();
    }

    /** The latest messages, newest first: {@code limit} in all, taken evenly from the partitions read. */
    private List<ConsumerRecord<byte[], byte[]>> latest(String topic, Integer partition, int limit) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pipeline-console-browser");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .filter(tp -> partition == null || tp.partition() == partition).toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException(partition == null ? "no topic " + topic : "topic " + topic + " has no partition " + partition);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            int each = Math.max(1, limit / partitions.size() + 1);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long from = Math.max(starts.get(tp), ends.get(tp) - each);
                consumer.seek(tp, from);
                if (from < ends.get(tp)) {
                    remaining.put(tp, ends.get(tp));
                }
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            return records.stream()
                    .sorted(Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.timestamp()).thenComparingLong(ConsumerRecord::offset).reversed())
                    .limit(limit).toList();
        }
    }

    /** JSON as JSON; other UTF-8 as text; null as null. */
    private static JsonNode readable(byte[] bytes) {
        if (bytes == null) {
            return JSON.nullNode();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = TopicSize.admin(bootstrap);
        }
        return admin;
    }

    private synchronized void reset() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }

    @Override
    public void close() {
        reset();
    }
}
