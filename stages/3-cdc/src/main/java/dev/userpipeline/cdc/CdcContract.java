package dev.userpipeline.cdc;

import dev.userpipeline.ingest.LandingTable;

/**
 * The names change data capture owns: the connector, the replication slot and publication it reads the
 * landing table through, and the topic it writes every landed user to. The connector's JSON
 * ({@code connector/users-created.json}) names the same, which {@code ConnectorConfigTest} checks.
 */
public final class CdcContract {

    /** The Debezium connector's name on the Connect cluster. */
    public static final String CONNECTOR = "users-created";
    /** The topic of landed users: one message per user, key = id, value = the landing row. */
    public static final String TOPIC = "users_created";
    public static final int PARTITIONS = 3;
    /** Debezium's heartbeats (topic.prefix "pipeline"), which confirm the slot while the table is quiet. */
    public static final String HEARTBEAT_TOPIC = "__debezium-heartbeat.pipeline";
    /** The table captured. */
    public static final String TABLE = LandingTable.NAME;
    public static final String SLOT = "users_raw_slot";
    public static final String PUBLICATION = "users_raw_publication";

    private CdcContract() {
    }
}
