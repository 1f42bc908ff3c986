package dev.userpipeline.delivery;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The path of one user through the pipeline, asked of each store in the order the user met them: its landing row in
 * PostgreSQL (or the quarantine, if ingest refused it), its change event in {@code users_created}, its row in
 * Cassandra or its dead letter with the reason. Each stage found gives the moment the user reached it, so the trace
 * shows where the time went.
 *
 * @param asked     the id or email asked for
 * @param id        the user's id, once its landing row is found
 * @param outcome   how far the user got
 * @param reason    why ingest or the Spark job refused the user, or empty
 * @param stages    the moments found, in order
 * @param note      what could not be read, or why the trail stops, or empty
 */
public record UserTrace(String asked, UUID id, Outcome outcome, List<Stage> stages, String reason, String note) {

    /** How far a user got. */
    public enum Outcome {
        /** Written to Cassandra. */
        DELIVERED,
        /** Rejected by the Spark job, with a dead letter. */
        REJECTED,
        /** Landed, but neither in Cassandra nor in the dead letters yet. */
        IN_FLIGHT,
        /** Refused at ingest: a quarantined element names it. */
        QUARANTINED,
        /** No landing row, no quarantined element. */
        NEVER_LANDED
    }

    /** One moment of the trail: which stage, when, and where the user was found. */
    public record Stage(String name, Instant at, String where) {
    }

    /** Dead letters and change events are looked for from a little before landing: clocks of containers differ. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Traces a user by id or email against the stack these settings describe. */
    public static UserTrace of(Settings settings, String idOrEmail, Duration timeout) throws SQLException {
        String asked = idOrEmail.strip();
        Optional<Landing> landing;
        try (Connection postgres = postgres(settings)) {
            landing = Landing.find(postgres, asked);
            if (landing.isEmpty()) {
                return Landing.quarantined(postgres, asked)
                        .map(reason -> new UserTrace(asked, parseId(asked), Outcome.QUARANTINED, List.of(), reason,
                                "refused at ingest, never landed in " + LandingTable.NAME))
                        .orElseGet(() -> new UserTrace(asked, parseId(asked), Outcome.NEVER_LANDED, List.of(), "",
                                "never landed: no row of " + LandingTable.NAME + " has " + (asked.contains("@") ? "the email " : "the id ")
                                        + asked + ", and no quarantined element names it"));
            }
        }
        Landing row = landing.get();
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("fetched", row.fetchedAt(), "from " + row.source() + ", batch " + row.batchId()));
        stages.add(new Stage("landed", row.ingestedAt(), LandingTable.NAME));
        TopicTrace topics = new TopicTrace(settings.get(ServiceAddresses.KAFKA));
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        Optional<Written> written;
        try (CqlSession cassandra = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA), timeout)) {
            written = Written.find(cassandra, keyspace, row.id());
        }
        // The change event's time is the published_at the job kept: reading starts there. Without it, from landing.
        Instant eventSince = written.map(Written::publishedAt).orElse(row.ingestedAt()).minus(CLOCK_MARGIN);
        String note = "";
        try {
            Optional<TopicTrace.Found> event = topics.first(settings.get(StreamSettings.TOPIC), eventSince, row.id(), timeout);
            event.ifPresent(e -> stages.add(new Stage("published", e.timestamp(), where(e))));
            if (event.isEmpty()) {
                note = "no change event in " + settings.get(StreamSettings.TOPIC) + " yet (is Connect running? `pipeline status`)";
            }
        } catch (RuntimeException e) {
            note = "the change event could not be read: " + firstLine(e);
        }
        if (written.isPresent()) {
            stages.add(new Stage("written", written.get().writtenAt(), keyspace + "." + StreamContract.CREATED_USERS
                    + " (processed at " + written.get().processedAt() + ")"));
            return new UserTrace(asked, row.id(), Outcome.DELIVERED, stages, "", note);
        }
        try {
            Optional<TopicTrace.Found> letter = topics.first(settings.get(StreamSettings.DLQ_TOPIC), row.ingestedAt().minus(CLOCK_MARGIN),
                    row.id(), timeout);
            if (letter.isPresent()) {
                JsonNode value = readJson(letter.get().value());
                stages.add(new Stage("rejected", letter.get().timestamp(), where(letter.get())));
                return new UserTrace(asked, row.id(), Outcome.REJECTED, stages, value.path("reason").asText("(no reason given)"), note);
            }
        } catch (RuntimeException e) {
            note = (note.isEmpty() ? "" : note + "; ") + "the dead letters could not be read: " + firstLine(e);
        }
        return new UserTrace(asked, row.id(), Outcome.IN_FLIGHT, stages, "",
                note.isEmpty() ? "landed, not yet in Cassandra nor in the dead letters: the Spark job has not processed it yet" : note);
    }

    /** The time from the first stage to the last, when there are two. */
    public Optional<Duration> endToEnd() {
        return stages.size() < 2 ? Optional.empty() : Optional.of(Duration.between(stages.get(0).at(), stages.get(stages.size() - 1).at()));
    }

    /** The trace as lines for a terminal: the outcome, then each stage with the time since the one before. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add((id == null ? asked : id.toString()) + ": " + outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (reason.isEmpty() ? "" : " (" + reason + ")"));
        Instant before = null;
        for (Stage stage : stages) {
            String took = before == null ? "" : "+" + millis(Duration.between(before, stage.at()));
            lines.add(String.format(Locale.ROOT, "  %-10s %-30s %10s  %s", stage.name(), stage.at(), took, stage.where()));
            before = stage.at();
        }
        endToEnd().ifPresent(d -> lines.add("  end to end " + millis(d)));
        if (!note.isEmpty()) {
            lines.add("  " + note);
        }
        return lines;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("asked", asked);
        if (id != null) {
            root.put("id", id.toString());
        } else {
            root.putNull("id");
        }
        root.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
        root.put("reason", reason);
        root.put("note", note);
        ArrayNode list = root.putArray("stages");
        Instant before = null;
        for (Stage stage : stages) {
            ObjectNode node = list.addObject().put("stage", stage.name()).put("at", stage.at().toString()).put("where", stage.where());
            if (before != null) {
                node.put("millisSincePrevious", Duration.between(before, stage.at()).toMillis());
            }
            before = stage.at();
        }
        endToEnd().ifPresentOrElse(d -> root.put("endToEndMillis", d.toMillis()), () -> root.putNull("endToEndMillis"));
        return root;
    }

    private static String millis(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String where(TopicTrace.Found record) {
        return record.topic() + " partition " + record.partition() + " offset " + record.offset();
    }

    private static UUID parseId(String asked) {
        try {
            return UUID.fromString(asked);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text == null ? "{}" : text);
        } catch (Exception e) {
            return JSON.createObjectNode().put("reason", "(dead letter unreadable)");
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    private static Connection postgres(Settings settings) throws SQLException {
        return DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), PostgresSettings.login(settings, Duration.ofSeconds(60)));
    }

    /** The user's landing row. */
    record Landing(UUID id, String batchId, String source, Instant fetchedAt, Instant ingestedAt) {

        /**
         * By id (the primary key), or by email: no index serves that, so it reads the table (about a second a
         * million rows here), which a trace asked now and then can afford and the ingest's every write need not pay.
         */
        static Optional<Landing> find(Connection postgres, String asked) throws SQLException {
            UUID id = parseId(asked);
            String where = id != null ? "id = ?" : "lower(payload->>'email') = lower(?)";
            try (PreparedStatement query = postgres.prepareStatement("select id, batch_id, source, fetched_at, ingested_at from "
                    + LandingTable.NAME + " where " + where + " order by ingested_at limit 1")) {
                if (id != null) {
                    query.setObject(1, id);
                } else {
                    query.setString(1, asked);
                }
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Landing(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getTimestamp(4).toInstant(), rows.getTimestamp(5).toInstant()));
                }
            }
        }

        /** The reason ingest gave for refusing an element that names the user, if one did. */
        static Optional<String> quarantined(Connection postgres, String asked) throws SQLException {
            try (PreparedStatement query = postgres.prepareStatement(
                    "select reason, quarantined_at from ingest.users_quarantine where strpos(raw, ?) > 0 order by quarantined_at desc limit 1")) {
                query.setString(1, asked);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1) + " (quarantined " + rows.getTimestamp(2).toInstant() + ")")
                            : Optional.empty();
                }
            }
        }
    }

    /** The user's row in Cassandra: when its change event was published, when the job processed it and wrote it. */
    record Written(Instant publishedAt, Instant processedAt, Instant writtenAt) {

        static Optional<Written> find(CqlSession cassandra, String keyspace, UUID id) {
            Row row;
            try {
                row = cassandra.execute(SimpleStatement.newInstance("select published_at, processed_at, writetime(email) from " + keyspace
                        + "." + StreamContract.CREATED_USERS + " where id = ?", id)).one();
            } catch (InvalidQueryException e) {
                // No table yet: the job creates it when it first starts.
                return Optional.empty();
            }
            if (row == null) {
                return Optional.empty();
            }
            Instant processed = row.getInstant(1);
            Instant written = row.isNull(2) ? processed : Instant.EPOCH.plusNanos(row.getLong(2) * 1_000);
            return Optional.of(new Written(row.getInstant(0), processed, written));
        }
    }
}
