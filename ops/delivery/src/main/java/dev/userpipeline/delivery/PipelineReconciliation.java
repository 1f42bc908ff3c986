package dev.userpipeline.delivery;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.cdc.CdcContract;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every user of the pipeline, counted in each store it passes: the landing table, the change topic (as a
 * {@code read_committed} consumer sees it, so a duplicate there is one a downstream consumer would read
 * twice), the dead-letter topic, Cassandra's {@code created_users} and the sum of the signups aggregate.
 * It holds when every landed user is in the change topic exactly once and either in Cassandra or a dead
 * letter, and the aggregate counts each user in Cassandra once.
 *
 * <p>Meant for a pipeline whose ingestion has stopped: while users still flow, the stores disagree by what
 * is in flight. Reads every id of the change topic and every row of {@code created_users}.
 */
public record PipelineReconciliation(long landed, long quarantined, long changeEvents, long inChangeTopic,
        long unkeyedChangeEvents, long deadLettered, long inCassandra, long signups) {

    private static final int CASSANDRA_PAGE = 5_000;

    public static PipelineReconciliation read(Settings settings, Duration timeout) throws SQLException {
        long landed;
        long quarantined;
        try (Connection c = DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), settings.get(PostgresSettings.USER),
                settings.get(PostgresSettings.PASSWORD)); Statement st = c.createStatement()) {
            landed = single(st, "select count(*) from " + LandingTable.NAME);
            quarantined = single(st, "select count(*) from ingest.users_quarantine");
        }
        TopicTrace topics = new TopicTrace(settings.get(ServiceAddresses.KAFKA));
        Map<UUID, Integer> changes = topics.keyCounts(settings.get(StreamSettings.TOPIC), timeout);
        long unkeyed = changes.getOrDefault(null, 0);
        long events = changes.values().stream().mapToLong(Integer::longValue).sum();
        long distinct = changes.size() - (changes.containsKey(null) ? 1 : 0);
        Map<UUID, Integer> dead = topics.keyCounts(settings.get(StreamSettings.DLQ_TOPIC), timeout);
        long deadLettered = dead.size() - (dead.containsKey(null) ? 1 : 0) + dead.getOrDefault(null, 0);

        String keyspace = settings.get(StreamSettings.KEYSPACE);
        long inCassandra = 0;
        long signups = 0;
        try (CqlSession session = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA), Duration.ofSeconds(30))) {
            ResultSet users = session.execute(SimpleStatement.newInstance("select id from " + keyspace + "." + StreamContract.CREATED_USERS)
                    .setPageSize(CASSANDRA_PAGE).setTimeout(Duration.ofSeconds(60)));
            for (Row ignored : users) {
                inCassandra++;
            }
            ResultSet counts = session.execute(SimpleStatement.newInstance("select signups from " + keyspace + "." + StreamContract.SIGNUPS)
                    .setPageSize(CASSANDRA_PAGE).setTimeout(Duration.ofSeconds(60)));
            for (Row row : counts) {
                signups += row.getLong(0);
            }
        }
        return new PipelineReconciliation(landed, quarantined, events, distinct, unkeyed, deadLettered, inCassandra, signups);
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Change events beyond the first of each user: what a read-committed consumer would read twice. */
    public long duplicatedChangeEvents() {
        return changeEvents - unkeyedChangeEvents - inChangeTopic;
    }

    /** What is wrong, each in a sentence; empty when everything holds. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (inChangeTopic != landed) {
            problems.add(String.format(Locale.ROOT, "%,d landed users but %,d in %s", landed, inChangeTopic, CdcContract.TOPIC));
        }
        if (duplicatedChangeEvents() > 0) {
            problems.add(String.format(Locale.ROOT, "%,d duplicated change events in %s (read committed)", duplicatedChangeEvents(),
                    CdcContract.TOPIC));
        }
        if (unkeyedChangeEvents > 0) {
            problems.add(String.format(Locale.ROOT, "%,d change events without a user id as key", unkeyedChangeEvents));
        }
        if (inCassandra + deadLettered != landed) {
            problems.add(String.format(Locale.ROOT, "%,d landed users but %,d in Cassandra and %,d dead letters", landed, inCassandra,
                    deadLettered));
        }
        if (signups != inCassandra) {
            problems.add(String.format(Locale.ROOT, "the signups aggregate counts %,d users, Cassandra holds %,d", signups, inCassandra));
        }
        return problems;
    }

    public boolean matches() {
        return problems().isEmpty();
    }

    public String summary() {
        return String.format(Locale.ROOT, "landed %,d (quarantined %,d more), %s %,d users in %,d events, dead letters %,d, Cassandra %,d, "
                + "signups %,d: %s", landed, quarantined, CdcContract.TOPIC, inChangeTopic, changeEvents, deadLettered, inCassandra, signups,
                matches() ? "reconciled" : "MISMATCH: " + String.join("; ", problems()));
    }

    public String json() {
        ObjectNode node = new ObjectMapper().createObjectNode().put("match", matches());
        node.putObject("postgres").put("landed", landed).put("quarantined", quarantined);
        node.putObject("change_topic").put("users", inChangeTopic).put("events", changeEvents)
                .put("duplicated", duplicatedChangeEvents()).put("unkeyed", unkeyedChangeEvents);
        node.put("dead_letters", deadLettered);
        node.putObject("cassandra").put("users", inCassandra).put("signups", signups);
        if (!matches()) {
            node.put("error", String.join("; ", problems()));
        }
        return node.toString();
    }
}
