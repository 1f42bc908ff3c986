package dev.userpipeline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A batch as PostgreSQL, Cassandra and the dead-letter topic hold it: how many users each, and a checksum of their
 * ids. The batch reconciles when every landed user is in Cassandra or was rejected by the stream job with a reason
 * (and so never will be); otherwise the first unaccounted ids are named.
 */
public record Reconciliation(String batchId, long postgresCount, String postgresChecksum, long cassandraCount,
        String cassandraChecksum, long rejectedCount, Map<String, Long> rejectedReasons, String accountedChecksum,
        long quarantined, List<UUID> missingSample) {

    static final int SAMPLE = 5;

    /**
     * @param deadLetters the rejection reason of each of the given users that has a dead letter
     */
    public static Reconciliation of(LandedBatch batch, CassandraPresence cassandra, Function<Set<UUID>, Map<UUID, String>> deadLetters) {
        Set<UUID> present = cassandra.present(batch.ids());
        Set<UUID> missing = new HashSet<>(batch.ids());
        missing.removeAll(present);
        Map<UUID, String> rejected = missing.isEmpty() ? Map.of() : deadLetters.apply(missing);
        missing.removeAll(rejected.keySet());
        Set<UUID> accounted = new HashSet<>(present);
        accounted.addAll(rejected.keySet());
        return new Reconciliation(batch.batchId(), batch.size(), batch.checksum(), present.size(), IdChecksum.of(present),
                rejected.size(), DeadLetters.counted(rejected), IdChecksum.of(accounted), batch.quarantined(),
                missing.stream().map(UUID::toString).sorted().limit(SAMPLE).map(UUID::fromString).toList());
    }

    public boolean matches() {
        return postgresCount == cassandraCount + rejectedCount && postgresChecksum.equals(accountedChecksum);
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT, "batch %s: PostgreSQL %,d users (ids %s), Cassandra %,d users%s, together ids %s: %s",
                batchId, postgresCount, postgresChecksum.substring(0, 12), cassandraCount,
                rejectedCount == 0 ? ", none rejected" : String.format(java.util.Locale.ROOT, ", %,d rejected by the stream job (%s)",
                        rejectedCount, DeadLetters.describe(rejectedReasons)),
                accountedChecksum.substring(0, 12),
                matches() ? "reconciled" : "MISMATCH, in neither Cassandra nor the dead letters e.g. " + missingSample);
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode().put("batch_id", batchId).put("match", matches());
        node.putObject("postgres").put("count", postgresCount).put("ids_sha256", postgresChecksum);
        node.putObject("cassandra").put("count", cassandraCount).put("ids_sha256", cassandraChecksum);
        ObjectNode rejected = node.putObject("rejected").put("count", rejectedCount);
        ObjectNode reasons = rejected.putObject("reasons");
        rejectedReasons.forEach(reasons::put);
        node.put("accounted_ids_sha256", accountedChecksum);
        node.put("quarantined", quarantined);
        if (!matches()) {
            node.put("error", (postgresCount - cassandraCount - rejectedCount) + " users of the batch are neither in Cassandra nor "
                    + "rejected, e.g. " + missingSample);
        }
        return node.toString();
    }
}
