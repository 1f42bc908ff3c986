package dev.userpipeline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a batch stands: {@code delivered} when every landed user can be read in Cassandra, else the
 * stage where the missing ones are stuck ({@code landing}, {@code cdc}, {@code stream},
 * {@code rejected}) and what was seen there.
 */
public record DeliveryReport(String batchId, int landed, int delivered, Stage stage, String detail, double seconds) {

    /** The stages of the pipeline a user passes, in order, and the end state. */
    public enum Stage {
        /** Nothing of the batch is in the landing table. */
        LANDING,
        /** Landed, but not (yet) in topic users_created: Debezium on Kafka Connect has not carried it. */
        CDC,
        /** In the topic, but not in Cassandra: the Spark job has not written it. */
        STREAM,
        /** Sent to the dead-letter topic by the Spark job: it will never be in Cassandra. */
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
        return String.format(java.util.Locale.ROOT, "batch %s: %,d of %,d landed users in Cassandra after %.1f s%s",
                batchId, delivered, landed, seconds, complete() ? "" : "; stalled at " + stage.label() + ": " + detail);
    }

    public String json() {
        ObjectNode node = new ObjectMapper().createObjectNode()
                .put("batch_id", batchId)
                .put("landed", landed)
                .put("delivered", delivered)
                .put("missing", landed - delivered)
                .put("stage", stage.label())
                .put("seconds", Math.round(seconds * 10) / 10.0);
        if (!complete()) {
            node.put("error", detail);
        }
        return node.toString();
    }
}
