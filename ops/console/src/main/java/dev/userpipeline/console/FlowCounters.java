package dev.userpipeline.console;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.cdc.ReplicationSlot;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.clients.JobTotals;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stack.StackSettings;
import dev.userpipeline.stream.JobProgress;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * The counters that show users moving through each stage, cheap enough to read every few seconds on a table
 * of millions: PostgreSQL's own count of rows inserted into the landing table, the committed end offsets
 * of the topics (no record is read), and the job's totals row in Cassandra (users written, counted once per
 * micro-batch). Each counter fails on its own, with its reason, so one stopped service leaves the others readable.
 */
final class FlowCounters implements PipelineWatch.Counters {

    /** One counter: what it counts, its value, or why it could not be read. */
    record Counter(String stage, String what, Long value, String error) {

        static Counter of(String stage, String what, long value) {
            return new Counter(stage, what, value, null);
        }

        static Counter failed(String stage, String what, Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Counter(stage, what, null, message);
        }
    }

    /**
     * How far behind the two consumers of the flow are: the Spark job, in records of each partition of the change
     * topic (its end as a read_committed consumer sees it, less the offsets of the job's latest progress), and the
     * connector's replication slot, in bytes of WAL. A part that could not be read is null, with the reason.
     */
    record Lag(Map<Integer, Long> jobPartitions, String jobError, Long slotBytes, String slotError) {

        static final Lag UNKNOWN = new Lag(Map.of(), "not read", null, "not read");

        /** Records the job has not processed yet, over every partition; null when unknown. */
        Long job() {
            return jobError != null ? null : jobPartitions.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static final String LANDED = "landed";
    static final String CAPTURED = "captured";
    static final String ACCEPTED = "accepted";
    static final String REJECTED = "rejected";

    private final Settings settings;
    private Admin admin;
    private CqlSession cassandra;
    private final RecentLatency recent;

    FlowCounters(Settings settings) {
        this.settings = settings;
        this.recent = new RecentLatency(settings.get(ServiceAddresses.KAFKA), settings.get(StreamSettings.TOPIC));
    }

    /** Every counter, in the order a user record meets them. */
    @Override
    public List<Counter> read() {
        return List.of(
                landed(),
                topic(CAPTURED, settings.get(StreamSettings.TOPIC), "Debezium's change events"),
                written(),
                topic(REJECTED, settings.get(StreamSettings.DLQ_TOPIC), "records the Spark job rejected, with the reason"));
    }

    /** A counter read from a topic's offsets: its stage, the topic, and what its records are. */
    private Counter topic(String stage, String topic, String records) {
        String what = "offsets of topic " + topic + " (" + records + ")";
        try {
            return Counter.of(stage, what, committedEnd(topic));
        } catch (Exception e) {
            return Counter.failed(stage, what, e);
        }
    }

    /** The job's lag per partition and the slot's, each read on its own. */
    @Override
    public Lag lag() {
        Map<Integer, Long> partitions = new TreeMap<>();
        String jobError = null;
        try {
            Map<Integer, Long> ends = TopicSize.endOffsets(admin(), settings.get(StreamSettings.TOPIC));
            Map<Integer, Long> done = jobOffsets(settings.get(StackSettings.HOME), settings.get(StreamSettings.TOPIC));
            ends.forEach((partition, end) -> partitions.put(partition, Math.max(0, end - done.getOrDefault(partition, 0L))));
        } catch (Exception e) {
            jobError = Counter.failed("", "", e).error();
        }
        Long slot = null;
        String slotError = null;
        try (Connection connection = postgres()) {
            OptionalLong bytes = ReplicationSlot.lagBytes(connection);
            if (bytes.isPresent()) {
                slot = bytes.getAsLong();
            } else {
                slotError = "no slot yet (Connect creates it when the connector starts)";
            }
        } catch (Exception e) {
            slotError = Counter.failed("", "", e).error();
        }
        return new Lag(partitions, jobError, slot, slotError);
    }

    /**
     * The offsets of each partition of {@code topic} the job's latest progress reached.
     *
     * @throws IllegalStateException when there is no progress to read: the job has not finished a micro-batch yet, or
     *     it runs where its progress file is not (a container of its own), so its lag is unknown rather than all
     */
    static Map<Integer, Long> jobOffsets(Path home, String topic) {
        JsonNode progress = JobProgress.latest(home.toAbsolutePath(), StreamContract.CREATED_USERS)
                .orElseThrow(() -> new IllegalStateException("no progress of the Spark job in " + JobProgress.file(home.toAbsolutePath())
                        + " (none before its first micro-batch, nor where the job runs on another host)"));
        Map<Integer, Long> offsets = new TreeMap<>();
        for (JsonNode source : progress.path("sources")) {
            source.path("endOffset").path(topic).fields()
                    .forEachRemaining(p -> offsets.merge(Integer.parseInt(p.getKey()), p.getValue().asLong(), Math::max));
        }
        return offsets;
    }

    private Connection postgres() throws SQLException {
        return DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), PostgresSettings.login(settings, Duration.ofSeconds(10)));
    }

    private Counter landed() {
        String what = "rows inserted into " + LandingTable.NAME + " (PostgreSQL's statistics)";
        try (Connection connection = postgres();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select n_tup_ins from pg_stat_user_tables where schemaname || '.' || relname = '"
                        + LandingTable.NAME + "'")) {
            if (!rows.next()) {
                throw new IllegalStateException("no table " + LandingTable.NAME + " yet (up creates it before it starts Connect)");
            }
            return Counter.of(LANDED, what, rows.getLong(1));
        } catch (Exception e) {
            return Counter.failed(LANDED, what, e);
        }
    }

    /** Users in Cassandra as the job counts them: its totals row, which it adds each micro-batch to once. */
    private Counter written() {
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        String what = "users the Spark job wrote to Cassandra (" + keyspace + "." + StreamContract.TOTALS + ")";
        try {
            return Counter.of(ACCEPTED, what, JobTotals.read(cassandra(), keyspace, StreamContract.CREATED_USERS, Duration.ofSeconds(2)).users());
        } catch (Exception e) {
            closeCassandra();
            return Counter.failed(ACCEPTED, what, e);
        }
    }

    /** Fetch-to-Cassandra latency of the users published since the last call; null when none could be measured. */
    @Override
    public RecentLatency.Latency latency() {
        try {
            return recent.sample(cassandra(), settings.get(StreamSettings.KEYSPACE) + "." + StreamContract.CREATED_USERS, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            recent.reset();
            return null;
        }
    }

    /** One session for the console's life, opened again after a failure (Cassandra restarted, say). */
    private synchronized CqlSession cassandra() {
        if (cassandra == null) {
            cassandra = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA), Duration.ofSeconds(2));
        }
        return cassandra;
    }

    private synchronized void closeCassandra() {
        if (cassandra != null) {
            cassandra.closeAsync();
            cassandra = null;
        }
    }

    /** The sum of a topic's end offsets as a read_committed consumer sees them; a topic not created yet has 0. */
    private long committedEnd(String topic) throws Exception {
        try {
            return TopicSize.records(admin(), topic);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** One admin client for the console's life: the broker is asked every few seconds. */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = TopicSize.admin(settings.get(ServiceAddresses.KAFKA));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        recent.close();
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
        closeCassandra();
    }
}
