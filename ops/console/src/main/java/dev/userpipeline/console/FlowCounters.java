package dev.userpipeline.console;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stream.StreamSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The counters that show users moving through each stage, cheap enough to read every few seconds on a table
 * of millions: PostgreSQL's own count of rows inserted into the landing table, and the committed end offsets
 * of the topics (no record is read). Each counter fails on its own, with its reason, so one stopped service
 * leaves the others readable.
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

    static final String LANDED = "landed";
    static final String CAPTURED = "captured";
    static final String ACCEPTED = "accepted";
    static final String REJECTED = "rejected";

    private final Settings settings;
    private Admin admin;

    FlowCounters(Settings settings) {
        this.settings = settings;
    }

    /** Every counter, in the order a user record meets them. */
    @Override
    public List<Counter> read() {
        List<Counter> counters = new ArrayList<>();
        counters.add(landed());
        String cdcTopic = ConnectSettings.CDC_TOPIC;
        String accepted = settings.get(StreamSettings.ACCEPTED_TOPIC);
        String dlq = settings.get(StreamSettings.DLQ_TOPIC);
        Map<String, String> topics = Map.of(CAPTURED, cdcTopic, ACCEPTED, accepted, REJECTED, dlq);
        Map<String, String> what = Map.of(
                CAPTURED, "offsets of topic " + cdcTopic + " (Debezium's change events)",
                ACCEPTED, "offsets of topic " + accepted + " (users the Spark job wrote to Cassandra)",
                REJECTED, "offsets of topic " + dlq + " (records the Spark job rejected, with the reason)");
        for (String stage : List.of(CAPTURED, ACCEPTED, REJECTED)) {
            try {
                counters.add(Counter.of(stage, what.get(stage), committedEnd(topics.get(stage))));
            } catch (Exception e) {
                counters.add(Counter.failed(stage, what.get(stage), e));
            }
        }
        return counters;
    }

    private Counter landed() {
        String what = "rows inserted into ingest.users_raw (PostgreSQL's statistics)";
        Properties login = new Properties();
        login.setProperty("user", settings.get(PostgresSettings.USER));
        login.setProperty("password", settings.get(PostgresSettings.PASSWORD));
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", "10");
        try (Connection connection = DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), login);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select n_tup_ins from pg_stat_user_tables where schemaname = 'ingest' and relname = 'users_raw'")) {
            if (!rows.next()) {
                throw new IllegalStateException("no table ingest.users_raw yet (up creates it before it starts Connect)");
            }
            return Counter.of(LANDED, what, rows.getLong(1));
        } catch (Exception e) {
            return Counter.failed(LANDED, what, e);
        }
    }

    /** The sum of a topic's end offsets as a read_committed consumer sees them; a topic not created yet has 0. */
    private long committedEnd(String topic) throws Exception {
        Admin kafka = admin();
        try {
            Map<String, TopicDescription> described = kafka.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.get(topic).partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return kafka.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS)
                    .values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
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
            admin = Admin.create(Map.of(
                    "bootstrap.servers", settings.get(KafkaSettings.HOST) + ":" + settings.get(KafkaSettings.PORT),
                    "request.timeout.ms", 5_000,
                    "default.api.timeout.ms", 5_000));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
