package dev.userpipeline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A batch as PostgreSQL and Cassandra each hold it: how many users and a checksum of their ids. The
 * batch reconciles when both agree; otherwise the first missing ids are named.
 */
public record Reconciliation(String batchId, long postgresCount, String postgresChecksum, long cassandraCount,
        String cassandraChecksum, long quarantined, List<UUID> missingSample) {

    static final int SAMPLE = 5;

    public static Reconciliation of(LandedBatch batch, CassandraPresence cassandra) {
        Set<UUID> present = cassandra.present(batch.ids());
        Set<UUID> missing = new HashSet<>(batch.ids());
        missing.removeAll(present);
        return new Reconciliation(batch.batchId(), batch.size(), batch.checksum(), present.size(), IdChecksum.of(present),
                batch.quarantined(), missing.stream().map(UUID::toString).sorted().limit(SAMPLE).map(UUID::fromString).toList());
    }

    public boolean matches() {
        return postgresCount == cassandraCount && postgresChecksum.equals(cassandraChecksum);
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT, "batch %s: PostgreSQL %,d users (ids %s), Cassandra %,d users (ids %s): %s",
                batchId, postgresCount, postgresChecksum.substring(0, 12), cassandraCount, cassandraChecksum.substring(0, 12),
                matches() ? "reconciled" : "MISMATCH, missing in Cassandra e.g. " + missingSample);
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode().put("batch_id", batchId).put("match", matches());
        node.putObject("postgres").put("count", postgresCount).put("ids_sha256", postgresChecksum);
        node.putObject("cassandra").put("count", cassandraCount).put("ids_sha256", cassandraChecksum);
        node.put("quarantined", quarantined);
        if (!matches()) {
            node.put("error", (postgresCount - cassandraCount) + " users of the batch are not in Cassandra, e.g. " + missingSample);
        }
        return node.toString();
    }
}
