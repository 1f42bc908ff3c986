package dev.userpipeline.delivery;

import dev.userpipeline.ingest.LandingTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One ingest batch as the landing table holds it: the ids of its users, when the first of them
 * landed, and how many of its records were quarantined instead.
 *
 * <p>A user fetched again by a later batch keeps the batch it first landed with, so the batch is
 * exactly what its run added.
 */
public record LandedBatch(String batchId, List<UUID> ids, Instant firstIngestedAt, long quarantined) {

    public static LandedBatch read(Connection connection, String batchId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        Instant first = null;
        try (PreparedStatement ps = connection.prepareStatement(
                "select id, ingested_at from " + LandingTable.NAME + " where batch_id = ? order by id")) {
            ps.setString(1, batchId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                    Instant landed = rs.getTimestamp(2).toInstant();
                    if (first == null || landed.isBefore(first)) {
                        first = landed;
                    }
                }
            }
        }
        long quarantined;
        try (PreparedStatement ps = connection.prepareStatement("select count(*) from ingest.users_quarantine where batch_id = ?")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                quarantined = rs.getLong(1);
            }
        }
        return new LandedBatch(batchId, List.copyOf(ids), first, quarantined);
    }

    public int size() {
        return ids.size();
    }

    public String checksum() {
        return IdChecksum.of(ids);
    }
}
