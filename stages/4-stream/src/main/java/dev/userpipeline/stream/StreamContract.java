package dev.userpipeline.stream;

import dev.userpipeline.cdc.CdcContract;

/**
 * The names the Spark job owns: where accepted users are stored (the keyspace and its tables, as
 * {@code cql/spark_streams.cql} creates them) and the topics it writes beside them. It reads
 * {@link CdcContract#TOPIC}.
 */
public final class StreamContract {

    public static final String KEYSPACE = "spark_streams";
    /** One row per accepted user, primary key id; its query has the same name. */
    public static final String CREATED_USERS = "created_users";
    /** The columns of {@link #CREATED_USERS}, in the order of its CQL. */
    public static final java.util.List<String> CREATED_USERS_COLUMNS = java.util.List.of(
            "id", "first_name", "last_name", "gender", "address", "post_code", "email", "username",
            "dob", "age", "registered_date", "phone", "cell", "picture", "nationality",
            "street_number", "street_name", "city", "state", "country", "latitude", "longitude",
            "batch_id", "source", "fetched_at", "ingested_at", "published_at", "processed_at");
    /** Signups per country and minute of landing time, counted by the users query once per micro-batch. */
    public static final String SIGNUPS = "signups_per_minute";
    /** What each query has written in all (users, dead letters): one row per query, keyed by its name. */
    public static final String TOTALS = "stream_totals";
    /** Every rejected record, with the reason and the original value. */
    public static final String DLQ_TOPIC = CdcContract.TOPIC + ".dlq";
    /** The queries the job runs; it is healthy while each is active. */
    public static final java.util.List<String> QUERIES = java.util.List.of(CREATED_USERS);

    private StreamContract() {
    }
}
