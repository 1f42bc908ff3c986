package dev.userpipeline.delivery;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.DeliveryReport.Stage;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Waits until every user of a landed batch can be read in Cassandra. When they do not all arrive in
 * time, it follows the missing ones back through the pipeline (the dead-letter topic, the CDC
 * topic) and names the stage where they are stuck, with what the stack says of that stage's service.
 */
public final class BatchDelivery {

    /** Records may carry the commit time or a slightly later send time; a margin keeps early ones in view. */
    static final Duration TRAIL_MARGIN = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(60);
    /** How often the dead-letter topic is asked about users still missing: each look reads the batch's trail there. */
    private static final Duration DEAD_LETTER_LOOK = Duration.ofSeconds(5);

    private final Settings settings;
    private final Stack stack;

    public BatchDelivery(Settings settings, Stack stack) {
        this.settings = settings;
        this.stack = stack;
    }

    public static LandedBatch landed(Settings settings, String batchId) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), settings.get(PostgresSettings.USER),
                settings.get(PostgresSettings.PASSWORD))) {
            return LandedBatch.read(c, batchId);
        }
    }

    public DeliveryReport await(String batchId, Duration timeout, Consumer<String> progress) throws SQLException, InterruptedException {
        long begin = System.nanoTime();
        LandedBatch batch = landed(settings, batchId);
        if (batch.size() == 0) {
            return new DeliveryReport(batchId, 0, 0, Stage.LANDING, "no user of batch " + batchId + " is in " + LandingTable.NAME
                    + (batch.quarantined() > 0 ? " (" + batch.quarantined() + " of its records were quarantined)" : "")
                    + "; was it ingested under this batch id?", seconds(begin));
        }
        Set<UUID> missing = new HashSet<>(batch.ids());
        Map<UUID, String> rejected = new java.util.HashMap<>();
        DeadLetters deadLetters = new DeadLetters(new TopicTrace(settings.get(ServiceAddresses.KAFKA)),
                settings.get(StreamSettings.DLQ_TOPIC), TRACE_TIMEOUT);
        Instant since = batch.firstIngestedAt().minus(TRAIL_MARGIN);
        String problem = null;
        long deadline = begin + timeout.toNanos();
        long nextNote = 0;
        long nextDeadLetterLook = System.nanoTime() + DEAD_LETTER_LOOK.toNanos();
        CqlSession session = null;
        CassandraPresence presence = null;
        try {
            while (true) {
                try {
                    if (session == null) {
                        session = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA),
                                Duration.ofSeconds(10));
                        presence = new CassandraPresence(session, settings.get(StreamSettings.KEYSPACE));
                    }
                    missing.removeAll(presence.present(missing));
                    problem = null;
                } catch (RuntimeException e) {
                    problem = "Cassandra: " + e.getMessage();
                }
                if (!missing.isEmpty() && System.nanoTime() >= nextDeadLetterLook) {
                    // A user the job rejected will never arrive: it is accounted for by its dead letter and reason.
                    try {
                        Map<UUID, String> found = deadLetters.reasons(missing, since);
                        rejected.putAll(found);
                        missing.removeAll(found.keySet());
                    } catch (RuntimeException e) {
                        problem = "Kafka: " + e.getMessage();
                    }
                    nextDeadLetterLook = System.nanoTime() + DEAD_LETTER_LOOK.toNanos();
                }
                int delivered = batch.size() - missing.size() - rejected.size();
                if (missing.isEmpty()) {
                    return new DeliveryReport(batchId, batch.size(), delivered, rejected.size(), DeadLetters.counted(rejected),
                            Stage.DELIVERED, "", seconds(begin));
                }
                if (System.nanoTime() >= nextNote) {
                    progress.accept(String.format(java.util.Locale.ROOT, "%,d of %,d users of batch %s in Cassandra%s after %.0f s%s",
                            delivered, batch.size(), batchId, rejected.isEmpty() ? "" : ", " + rejected.size() + " rejected",
                            seconds(begin), problem == null ? "" : " (" + problem + ")"));
                    nextNote = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
                if (System.nanoTime() >= deadline) {
                    progress.accept("Not all there after " + timeout.toSeconds() + " s; following the missing users back through the pipeline ...");
                    return diagnose(batch, missing, rejected, problem, begin);
                }
                Thread.sleep(POLL.toMillis());
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Where the missing users are: rejected into the dead-letter topic, in the CDC topic only, or not even there. */
    DeliveryReport diagnose(LandedBatch batch, Set<UUID> missing, Map<UUID, String> rejectedBefore, String cassandraProblem, long begin) {
        int delivered = batch.size() - missing.size() - rejectedBefore.size();
        int alreadyRejected = rejectedBefore.size();
        Map<String, Long> reasonsBefore = DeadLetters.counted(rejectedBefore);
        Instant since = batch.firstIngestedAt().minus(TRAIL_MARGIN);
        TopicTrace trace = new TopicTrace(settings.get(ServiceAddresses.KAFKA));
        Map<UUID, String> rejected;
        Map<UUID, String> published;
        try {
            rejected = trace.find(settings.get(StreamSettings.DLQ_TOPIC), since, missing, TRACE_TIMEOUT);
            published = trace.find(settings.get(StreamSettings.TOPIC), since, missing, TRACE_TIMEOUT);
        } catch (RuntimeException e) {
            return new DeliveryReport(batch.batchId(), batch.size(), delivered, alreadyRejected, reasonsBefore, Stage.CDC, missing.size()
                    + " users are not in Cassandra, and Kafka cannot be read to follow them (" + e.getMessage() + "); "
                    + serviceSays("kafka"), seconds(begin));
        }
        Set<UUID> notPublished = new HashSet<>(missing);
        notPublished.removeAll(published.keySet());
        notPublished.removeAll(rejected.keySet());
        if (!notPublished.isEmpty()) {
            return new DeliveryReport(batch.batchId(), batch.size(), delivered, alreadyRejected, reasonsBefore, Stage.CDC, String.format(java.util.Locale.ROOT,
                    "%,d of the %,d missing users are not in topic %s: change data capture has not carried them; %s",
                    notPublished.size(), missing.size(), settings.get(StreamSettings.TOPIC), serviceSays("connect")), seconds(begin));
        }
        if (rejected.size() == missing.size()) {
            // Rejected after the last look: every user is accounted for after all.
            Map<UUID, String> all = new java.util.HashMap<>(rejectedBefore);
            rejected.forEach((id, letter) -> all.put(id, DeadLetters.reasonOf(letter)));
            return new DeliveryReport(batch.batchId(), batch.size(), delivered, all.size(), DeadLetters.counted(all), Stage.DELIVERED, "",
                    seconds(begin));
        }
        int waiting = missing.size() - rejected.size();
        return new DeliveryReport(batch.batchId(), batch.size(), delivered, alreadyRejected, reasonsBefore, Stage.STREAM, String.format(java.util.Locale.ROOT,
                "%,d missing users are in topic %s but not in %s.%s: the Spark job has not written them%s; %s%s",
                waiting, settings.get(StreamSettings.TOPIC), settings.get(StreamSettings.KEYSPACE), StreamContract.CREATED_USERS,
                rejected.isEmpty() ? "" : " (" + rejected.size() + " more were rejected into " + settings.get(StreamSettings.DLQ_TOPIC) + ")",
                serviceSays("stream"), cassandraProblem == null ? "" : "; " + cassandraProblem), seconds(begin));
    }

    /** What the stack's own check says of a service, e.g. "stream is stopped". */
    private String serviceSays(String name) {
        return stack.service(name).map(service -> {
            ServiceStatus status = stack.statusOf(service);
            String state = status.state().name().toLowerCase(java.util.Locale.ROOT);
            return switch (status.state()) {
                case OFF -> name + " is not run by this stack (it runs elsewhere)";
                case STOPPED -> name + " is stopped (start it with ./pipeline up; log: " + stack.logFile(name) + ")";
                default -> name + " is " + state + (status.detail().isBlank() ? "" : ": " + status.detail());
            };
        }).orElse("");
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
