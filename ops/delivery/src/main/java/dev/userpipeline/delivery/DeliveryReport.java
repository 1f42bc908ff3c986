package dev.userpipeline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Where a batch stands: {@code delivered} when every landed user can be read in Cassandra or was rejected by the
 * stream job with a reason ({@code rejected} of them, with {@code reasons}), else the stage where the missing ones
 * are stuck ({@code landing}, {@code cdc}, {@code stream}) and what was seen there.
 */
public record DeliveryReport(String batchId, int landed, int delivered, int rejected, Map<String, Long> reasons, Stage stage,
        String detail, double seconds) {

    public DeliveryReport(String batchId, int landed, int delivered, Stage stage, String detail, double seconds) {
        this(batchId, landed, delivered, 0, Map.of(), stage, detail, seconds);
    }

    /** The stages of the pipeline a user passes, in order, and the end state. */
    public enum Stage {
        /** Nothing of the batch is in the landing table. */
        LANDING,
        /** Landed, but not (yet) in topic users_created: Debezium on Kafka Connect has not carried it. */
        CDC,
        /** In the topic, but not in Cassandra: the Spark job has not written it. */
        STREAM,
        /** Sent to the dead-letter topic by the Spark job, while others have not arrived: it will never be in Cassandra. */
        REJECTED,
        DELIVERED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean complete() {
        return stage == Stage.DELIVERED;
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT, "batch %s: %,d of %,d landed users in Cassandra%s after %.1f s%s",
                batchId, delivered, landed, rejected == 0 ? "" : String.format(java.util.Locale.ROOT,
                        ", %,d rejected by the stream job (%s)", rejected, DeadLetters.describe(reasons)),
                seconds, complete() ? "" : "; stalled at " + stage.label() + ": " + detail);
    }

    public String json() {
        ObjectNode node = new ObjectMapper().createObjectNode()
                .put("batch_id", batchId)
                .put("landed", landed)
                .put("delivered", delivered)
                .put("rejected", rejected)
                .put("missing", landed - delivered - rejected)
                .put("stage", stage.label())
                .put("seconds", Math.round(seconds * 10) / 10.0);
        ObjectNode reasonCounts = node.putObject("reasons");
        reasons.forEach(reasonCounts::put);
        if (!complete()) {
            node.put("error", detail);
        }
        return node.toString();
    }
}
