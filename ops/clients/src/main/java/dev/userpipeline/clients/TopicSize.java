package dev.userpipeline.clients;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records a topic has taken: the sum of its partitions' end offsets, as a read-committed consumer
 * sees them (the pipeline's topics are written in transactions; an open transaction is not counted yet).
 * Each transaction's commit marker takes an offset too, so this is an upper bound of the records in it.
 */
public final class TopicSize {

    private TopicSize() {
    }

    public static long records(String bootstrap, String topic) throws Exception {
        return sum(endOffsets(bootstrap, topic));
    }

    public static long records(Admin admin, String topic) throws Exception {
        return sum(endOffsets(admin, topic));
    }

    /** Each partition's end offset. */
    public static Map<Integer, Long> endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            return endOffsets(admin, topic);
        }
    }

    /** Each partition's end offset, through an admin client the caller keeps. */
    public static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<Integer, Long> ends = new TreeMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /** An admin client that fails fast when Kafka is away. */
    public static Admin admin(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5_000,
                "default.api.timeout.ms", 10_000));
    }

    private static long sum(Map<Integer, Long> ends) {
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }
}
