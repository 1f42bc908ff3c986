package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.cdc.CdcContract;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.spark.SparkSettings;
import dev.userpipeline.stream.JobProgress;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Spark job on the real stack: users_created → Spark → Cassandra and the dead-letter topic. The job
 * starts at the topic's end offsets of the moment, so that every row in Cassandra is one these tests sent.
 * Each test checks the users of its own batch, and that the signups aggregate counts every user in
 * created_users once, so they pass in any order.
 */
@ExtendWith(StackExtension.class)
class StreamIT {

    static final String TOPIC = CdcContract.TOPIC;
    static final String DLQ = StreamContract.DLQ_TOPIC;
    static final Duration DELIVERY = Duration.ofMinutes(6);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The stack with the job, sharing the test stack's services; started by the first test that needs it. */
    static Stack withJob;
    static boolean onCluster;

    @Test
    void twentyThousandUsersLandInCassandraWithEveryColumnFromTheirPayload(TestStack test) throws Exception {
        job(test, false);
        String batch = test.land(20_000, "stream-" + UUID.randomUUID());
        awaitDelivery(batch);

        // A sample of every nationality, non-Latin scripts (Persian, Ukrainian, Serbian) among them.
        List<Landed> sample = landed(batch, "(select * from ingest.users_raw where batch_id = ? and payload->>'nat' in ('IR', 'UA', 'RS') limit 60)"
                + " union all (select * from ingest.users_raw where batch_id = ? order by md5(id::text) limit 140)");
        assertThat(sample).hasSize(200);
        assertThat(sample).anyMatch(u -> u.payload.path("nat").asText().equals("IR"))
                .anyMatch(u -> u.payload.path("nat").asText().equals("UA"));
        try (CqlSession cassandra = Clients.cassandra()) {
            for (Landed user : sample) {
                Row row = cassandra.execute("select * from spark_streams.created_users where id = ?", user.id).one();
                assertThat(row).as("row of %s", user.id).isNotNull();
                assertRowIsPayload(row, user);
            }
        }
    }

    @Test
    void malformedMessagesBecomeDeadLettersWithReasonsAndTheJobGoesOn(TestStack test) throws Exception {
        job(test, false);
        // Good users land first: their payload is the base of the broken ones, and they must still arrive.
        String good = test.land(1_000, "before-dlq-" + UUID.randomUUID());
        long dlqBefore = TopicSize.records(Clients.kafka(), DLQ);
        Map<String, String> sent = new HashMap<>();
        Map<String, String> expectedReason = new HashMap<>();
        List<String> uuidsSent = new ArrayList<>();
        String goodPayload = landedPayloadSample(good);
        for (int i = 0; i < 100; i++) {
            String id = UUID.randomUUID().toString();
            String value;
            String reason;
            switch (i % 5) {
                case 0 -> {
                    value = "garbage " + i + " {";
                    reason = "value is not JSON: Unrecognized token 'garbage'";
                }
                case 1 -> {
                    value = landingRow("user-" + i, goodPayload);
                    reason = "id is not a uuid: user-" + i;
                }
                case 2 -> {
                    value = landingRow(id, "<html>503 Service Unavailable</html>");
                    reason = "payload is not JSON: Unexpected character ('<' (code 60))";
                }
                case 3 -> {
                    value = landingRow(id, withLoginUuid(goodPayload, id).replaceFirst("\"email\":\"[^\"]*\"", "\"email\":\"nobody-at-example.com\""));
                    reason = "email is not an address: nobody-at-example.com";
                }
                default -> {
                    value = landingRow(id, withLoginUuid(goodPayload, id).replaceFirst("\"first\":\"[^\"]*\"", "\"first\":\"  \""));
                    reason = "name.first is missing";
                }
            }
            sent.put(value, "\"" + id + "\"");
            expectedReason.put(value, reason);
            uuidsSent.add(id);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> message : sent.entrySet()) {
                producer.send(new ProducerRecord<>(TOPIC, message.getValue(), message.getKey()));
            }
            producer.flush();
        }

        await("100 dead letters", DELIVERY, () -> records(DLQ) >= dlqBefore + 100);
        List<JsonNode> letters = readFrom(DLQ, dlqBefore);
        assertThat(letters).hasSize(100);
        for (JsonNode letter : letters) {
            String original = letter.path("value").asText();
            assertThat(expectedReason).containsKey(original);
            assertThat(letter.path("reason").asText()).startsWith(expectedReason.get(original));
            assertThat(letter.path("topic").asText()).isEqualTo(TOPIC);
            assertThat(letter.has("offset")).isTrue();
        }
        try (CqlSession cassandra = Clients.cassandra()) {
            for (String id : uuidsSent) {
                assertThat(cassandra.execute("select id from spark_streams.created_users where id = ?", UUID.fromString(id)).one())
                        .as("no row for rejected %s", id).isNull();
            }
        }

        // The job goes on: it is healthy, and the next users arrive.
        assertThat(withJob.statusOf(withJob.service("stream").orElseThrow()).isHealthy()).isTrue();
        String after = test.land(1_000, "after-dlq-" + UUID.randomUUID());
        awaitDelivery(after);
        assertThat(cassandraIds(good)).isEqualTo(landedIds(good));
    }

    @Test
    void bytesThatAreNotUtf8AndATwoMegabyteMessageBecomeExactDeadLettersAndTheJobGoesOn(TestStack test) throws Exception {
        job(test, false);
        String good = test.land(100, "before-big-" + UUID.randomUUID());
        String payload = landedPayloadSample(good);
        // Larger than Kafka's default limit of 1 MiB: the topic is allowed it here, as an operator might.
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", Clients.kafka()))) {
            admin.incrementalAlterConfigs(Map.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TOPIC), List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", Integer.toString(4 << 20)),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
        }
        String bigId = UUID.randomUUID().toString();
        String bigPayload = withLoginUuid(payload, bigId)
                .replaceFirst("\"email\":\"[^\"]*\"", "\"email\":\"nobody\"")
                // Each Ω\" is 4 bytes of payload and 6 of the landing row, where the payload is a JSON string.
                .replaceFirst("\"city\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(
                        "\"city\":\"" + "Ω\\\"".repeat(400_000) + "\""));
        byte[] big = landingRow(bigId, bigPayload).getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isGreaterThan(2 << 20);
        byte[] latin1 = ("{\"id\":\"" + UUID.randomUUID() + "\",\"payload\":\"Jos\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
        long dlqBefore = TopicSize.records(Clients.kafka(), DLQ);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "\"" + bigId + "\"", big)).get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(TOPIC, "\"latin1\"", latin1)).get(60, TimeUnit.SECONDS);
        }

        await("2 dead letters", DELIVERY, () -> records(DLQ) >= dlqBefore + 2);
        List<JsonNode> letters = readFrom(DLQ, dlqBefore);
        assertThat(letters).hasSize(2);
        JsonNode bigLetter = letters.stream().filter(l -> bigId.equals(l.path("id").asText())).findFirst().orElseThrow();
        assertThat(bigLetter.path("reason").asText()).isEqualTo("email is not an address: nobody");
        assertThat(bigLetter.path("batch_id").asText()).isEqualTo("malformed");
        assertThat(bigLetter.path("value").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(big);
        assertThat(bigLetter.path("value_bytes").asInt()).isEqualTo(big.length);
        JsonNode latinLetter = letters.stream().filter(l -> l.has("value_base64")).findFirst().orElseThrow();
        assertThat(java.util.Base64.getDecoder().decode(latinLetter.path("value_base64").asText())).isEqualTo(latin1);
        // Spark may read the landing row around the stray byte or not at all; either way the reason names JSON that is not.
        assertThat(latinLetter.path("reason").asText()).matches("(value|payload) is not JSON: .+");

        assertThat(withJob.statusOf(withJob.service("stream").orElseThrow()).isHealthy()).isTrue();
        awaitDelivery(test.land(1_000, "after-big-" + UUID.randomUUID()));
    }

    @Test
    void aPageOfUsersWithTwentyKilobyteStreetNamesIsWrittenToCassandra(TestStack test) throws Exception {
        job(test, false);
        String seed = "long-texts-" + UUID.randomUUID();
        String batch = "batch-" + seed;
        try (UnrulyApi api = new UnrulyApi(dev.userpipeline.ingest.SourceChoice.resolve(test.settings).url()).alter(1, answer -> {
            for (JsonNode user : UnrulyApi.results(answer)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) user.path("location").path("street"))
                        .put("name", "Long Street " + "ж".repeat(10_000));
            }
            return answer;
        })) {
            Settings settings = test.settings.with(dev.userpipeline.ingest.IngestSettings.SOURCE, api.base().toString(), "StreamIT");
            dev.userpipeline.ingest.SourceChoice choice = dev.userpipeline.ingest.SourceChoice.resolve(settings);
            try (dev.userpipeline.ingest.LandingTableWriter writer = dev.userpipeline.ingest.IngestRunner.openWriter(settings)) {
                assertThat(new dev.userpipeline.ingest.IngestJob(choice.client(settings), dev.userpipeline.source.RandomUserQuery.of(50, seed, 1),
                        50, batch, choice.label()).run(writer, p -> { }).inserted()).isEqualTo(50);
            }
        }
        awaitDelivery(batch);
        try (CqlSession cassandra = Clients.cassandra()) {
            for (UUID id : landedIds(batch)) {
                assertThat(cassandra.execute("select street_name from spark_streams.created_users where id = ?", id).one().getString(0))
                        .hasSize("Long Street ".length() + 10_000);
            }
        }
        assertThat(withJob.statusOf(withJob.service("stream").orElseThrow()).isHealthy()).isTrue();
    }

    @Test
    void aJobKilledMidStreamResumesWithoutLossDuplicatesOrDoubleCounts(TestStack test) throws Exception {
        job(test, false);
        String batch = test.land(30_000, "stream-kill-" + UUID.randomUUID());
        Set<UUID> ids = landedIds(batch);
        long committedBefore = committed();
        await("the job to be part way through", DELIVERY, () -> committed() >= committedBefore + 5_000);
        ProcessHandle process = withJob.process("stream").orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        assertThat(present(ids)).as("killed mid-stream").isLessThan(ids.size());

        withJob.up(new TestStack.PrintingListener());
        awaitDelivery(batch);
    }

    /**
     * While 120,000 users stream through, PostgreSQL (in the middle of a landing COPY), Cassandra and Kafka are each
     * killed with SIGKILL; a supervisor watching the stack starts each again, and whatever died with it (the job)
     * once the store is back. Landing resumes where it failed. In the end every landed user is in created_users
     * and counted once in the signups aggregate.
     */
    @Test
    void storesKilledMidStreamAreStartedAgainByTheSupervisorAndNoUserIsLostOrCountedTwice(TestStack test) throws Exception {
        job(test, false);
        Supervisor supervisor = new Supervisor(withJob,
                new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(10)), System.out);
        Thread watching = new Thread(() -> {
            try {
                supervisor.watch(Duration.ofSeconds(1));
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "it-supervisor");
        watching.setDaemon(true);
        watching.start();
        String seed = "faults-" + UUID.randomUUID();
        String batch = "batch-" + seed;
        int users = 120_000;
        java.util.concurrent.atomic.AtomicReference<Throwable> landingFailed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread landing = new Thread(() -> {
            try {
                landThroughFailures(test, seed, batch, users);
            } catch (Throwable e) {
                landingFailed.set(e);
            }
        }, "it-landing");
        try {
            landing.start();
            killDuringACopy();
            awaitStartedAgain("postgres");

            long before = committed();
            await("the job to go on after PostgreSQL came back", DELIVERY, () -> committed() >= before + 10_000);
            kill("cassandra");
            awaitStartedAgain("cassandra");

            long beforeKafka = committed();
            await("the job to go on after Cassandra came back", DELIVERY, () -> committed() >= beforeKafka + 10_000);
            kill("kafka");
            awaitStartedAgain("kafka");

            landing.join(Duration.ofMinutes(6).toMillis());
            assertThat(landing.isAlive()).as("landing finished").isFalse();
            assertThat(landingFailed.get()).as("landing").isNull();
            assertThat(landedIds(batch)).hasSize(users);
            await("the job running again", DELIVERY, () -> withJob.process("stream").isPresent());
            awaitDelivery(batch);
            for (String store : List.of("postgres", "cassandra", "kafka")) {
                assertThat(withJob.restarts(store).count()).as("%s started again by the supervisor", store).isGreaterThanOrEqualTo(1);
            }
            System.out.println("[stream-it] restarts: " + withJob.serviceNames().stream()
                    .map(name -> name + " " + withJob.restarts(name).count()).toList());
        } finally {
            watching.interrupt();
            watching.join(Duration.ofMinutes(5).toMillis());
            landing.join(Duration.ofMinutes(1).toMillis());
            // Whatever is still down is started for the tests that follow.
            withJob.up(new TestStack.PrintingListener());
        }
    }

    /** Lands the batch at 1,500 users/s, resuming after each failure until every page is landed (5 minutes at most). */
    private static void landThroughFailures(TestStack test, String seed, String batch, int users) throws Exception {
        dev.userpipeline.ingest.SourceChoice source = dev.userpipeline.ingest.SourceChoice.resolve(test.settings);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            List<dev.userpipeline.ingest.LandingTableWriter> writers = null;
            try {
                writers = dev.userpipeline.ingest.IngestRunner.openWriters(test.settings);
                dev.userpipeline.ingest.IngestProgress done = new dev.userpipeline.ingest.IngestJob(source.client(test.settings),
                        dev.userpipeline.source.RandomUserQuery.of(1_000, seed, 1), users, batch, source.label())
                        .resumable(true).maxRate(1_500).run(writers, p -> { });
                System.out.println("[stream-it] landing done: " + done.summary());
                return;
            } catch (Exception e) {
                System.out.println("[stream-it] landing failed (" + e.getMessage() + "); resuming in 2 s");
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(2_000);
            } finally {
                if (writers != null) {
                    dev.userpipeline.ingest.IngestRunner.closeAll(writers);
                }
            }
        }
    }

    /** SIGKILL of PostgreSQL while a landing COPY is under way. */
    private static void killDuringACopy() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (Connection pg = Clients.postgres();
                PreparedStatement copies = pg.prepareStatement("select count(*) from pg_stat_activity where state = 'active' and query ilike 'copy %'")) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = copies.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        kill("postgres");
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no landing COPY seen in 2 minutes");
    }

    private static final Map<String, Long> KILLED = new HashMap<>();

    private static void kill(String service) throws Exception {
        ProcessHandle process = withJob.process(service).orElseThrow(() -> new AssertionError(service + " is not running"));
        System.out.printf("[stream-it] SIGKILL to %s (pid %d) at %,d committed offsets%n", service, process.pid(), committed());
        KILLED.put(service, process.pid());
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Waits until the supervisor has started the service again and it answers its health check. */
    private static void awaitStartedAgain(String service) throws Exception {
        Instant begin = Instant.now();
        await(service + " started again by the supervisor and healthy", Duration.ofMinutes(4), () -> withJob.process(service)
                .filter(p -> p.pid() != KILLED.get(service)).isPresent()
                && withJob.statusOf(withJob.service(service).orElseThrow()).isHealthy());
        System.out.printf("[stream-it] %s healthy again %.1f s after its SIGKILL%n", service, Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    }

    @Test
    void theSameFlowRunsOnASparkStandaloneCluster(TestStack test) throws Exception {
        // The same checkpoints, on a master and a worker: the job resumes where local mode stopped.
        job(test, true);
        assertThat(withJob.process("spark-master")).isPresent();
        assertThat(withJob.process("spark-worker")).isPresent();
        assertThat(withJob.statusOf(withJob.service("stream").orElseThrow()).detail()).startsWith("spark://127.0.0.1:" + TestStack.SPARK_MASTER_PORT);

        String batch = test.land(5_000, "stream-cluster-" + UUID.randomUUID());
        awaitDelivery(batch);
    }

    // --- the job -------------------------------------------------------------------------------------

    /** Makes sure the job runs, locally or on the standalone cluster; the first start reads from the topic's end. */
    private static void job(TestStack test, boolean cluster) throws Exception {
        if (withJob != null && onCluster == cluster && withJob.process("stream").isPresent()) {
            return;
        }
        if (withJob != null) {
            withJob.stop(cluster ? List.of("stream") : List.of("stream", "spark-worker", "spark-master"), new TestStack.PrintingListener());
        }
        Settings settings = test.settings
                .with(SparkSettings.JOB, "true", "StreamIT")
                .with(SparkSettings.CLUSTER, Boolean.toString(cluster), "StreamIT")
                // Micro-batches of at most 5,000 users: a backlog takes several of them, so the kill of the job lands
                // mid-stream however fast the job writes.
                .with(StreamSettings.MAX_OFFSETS_PER_TRIGGER, "5000", "StreamIT");
        if (withJob == null) {
            settings = settings.with(StreamSettings.STARTING_OFFSETS, endOffsetsJson(TOPIC), "StreamIT");
        }
        withJob = new Stack(settings, RepoRoot.find());
        onCluster = cluster;
        withJob.up(new TestStack.PrintingListener());
    }

    /**
     * Every user of the batch in created_users exactly as landed, and the signups per minute adding up to
     * every row of created_users: each accepted user counted once.
     */
    private static void awaitDelivery(String batch) throws Exception {
        Instant begin = Instant.now();
        Set<UUID> ids = landedIds(batch);
        // Cassandra is asked for the users only once the job has caught up with the topic: lookups of
        // thousands of ids while it writes would take the cores it writes with.
        await(ids.size() + " users of " + batch + " in created_users", DELIVERY, () -> {
            long inTopic = records(TOPIC);
            return committed() >= inTopic && present(ids) == ids.size();
        });
        Instant delivered = Instant.now();
        try {
            await("signups adding up to the rows of created_users", DELIVERY, () -> signups() == createdUsers());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + signupsAgainstUsers() + "; " + eventsTwice(), e);
        }
        assertThat(cassandraIds(batch)).isEqualTo(ids);
        System.out.printf("[stream-it] %,d users of %s in Cassandra after %.1f s, the signups agreeing %.1f s later%n", ids.size(), batch,
                Duration.between(begin, delivered).toMillis() / 1000.0, Duration.between(delivered, Instant.now()).toMillis() / 1000.0);
    }

    /** Offsets of users_created the job has processed and committed, as its progress file says. */
    private static long committed() {
        return JobProgress.latest(withJob.home(), StreamContract.CREATED_USERS).map(JobProgress::committedOffsets).orElse(0L);
    }

    // --- what the tests send ----------------------------------------------------------------------------

    private static String landedPayloadSample(String batch) throws Exception {
        try (Connection pg = Clients.postgres();
                PreparedStatement ps = pg.prepareStatement("select payload::text from ingest.users_raw where batch_id = ? limit 1")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return JSON.writeValueAsString(JSON.readTree(rs.getString(1)));
            }
        }
    }

    private static String withLoginUuid(String payload, String id) {
        return payload.replaceFirst("\"uuid\":\"[^\"]*\"", "\"uuid\":\"" + id + "\"");
    }

    private static String landingRow(String id, String payload) throws Exception {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("id", id);
        row.put("payload", payload);
        row.put("batch_id", "malformed");
        row.put("source", "test");
        row.put("fetched_at", Instant.now().toString());
        row.put("ingested_at", Instant.now().toString());
        return JSON.writeValueAsString(row);
    }

    // --- what the stores hold -------------------------------------------------------------------------

    record Landed(UUID id, JsonNode payload, String batchId, String source, Instant fetchedAt, Instant ingestedAt) {
    }

    private static List<Landed> landed(String batch, String query) throws Exception {
        List<Landed> users = new ArrayList<>();
        try (Connection pg = Clients.postgres(); PreparedStatement ps = pg.prepareStatement(query)) {
            ps.setString(1, batch);
            ps.setString(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(new Landed(rs.getObject("id", UUID.class), JSON.readTree(rs.getString("payload")),
                            rs.getString("batch_id"), rs.getString("source"),
                            rs.getObject("fetched_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("ingested_at", OffsetDateTime.class).toInstant()));
                }
            }
        }
        return users;
    }

    private static Set<UUID> landedIds(String batch) throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (Connection pg = Clients.postgres(); PreparedStatement ps = pg.prepareStatement("select id from ingest.users_raw where batch_id = ?")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** The users of a batch that created_users holds, each checked to carry the batch's id. */
    private static Set<UUID> cassandraIds(String batch) throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (CqlSession cassandra = Clients.cassandra()) {
            var lookup = cassandra.prepare("select id, batch_id from spark_streams.created_users where id in ?");
            for (List<UUID> chunk : chunks(landedIds(batch))) {
                for (Row row : cassandra.execute(lookup.bind(chunk))) {
                    assertThat(row.getString("batch_id")).isEqualTo(batch);
                    assertThat(ids.add(row.getUuid("id"))).isTrue();
                }
            }
        }
        return ids;
    }

    /** How many of these users created_users holds: lookups by partition key, a hundred at a time. */
    private static long present(Set<UUID> ids) {
        long found = 0;
        try (CqlSession cassandra = Clients.cassandra()) {
            var lookup = cassandra.prepare("select id from spark_streams.created_users where id in ?");
            for (List<UUID> chunk : chunks(ids)) {
                found += cassandra.execute(lookup.bind(chunk)).all().size();
            }
        }
        return found;
    }

    private static List<List<UUID>> chunks(Set<UUID> ids) {
        List<UUID> all = new ArrayList<>(ids);
        List<List<UUID>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 100) {
            chunks.add(all.subList(i, Math.min(all.size(), i + 100)));
        }
        return chunks;
    }

    private static long createdUsers() {
        try (CqlSession cassandra = Clients.cassandra()) {
            return cassandra.execute("select count(*) from spark_streams.created_users").one().getLong(0);
        }
    }

    private static long signups() {
        long sum = 0;
        try (CqlSession cassandra = Clients.cassandra()) {
            for (Row row : cassandra.execute("select signups from spark_streams.signups_per_minute")) {
                sum += row.getLong(0);
            }
        }
        return sum;
    }

    /**
     * Where signups_per_minute and created_users disagree: the totals, and the rows of the aggregate whose count is
     * not the number of users of their country and minute, with the run and micro-batch that wrote them last.
     */
    private static String signupsAgainstUsers() {
        Map<String, Long> users = new java.util.TreeMap<>();
        Map<String, String> counted = new java.util.TreeMap<>();
        try (CqlSession cassandra = Clients.cassandra()) {
            for (Row row : cassandra.execute(SimpleStatement.newInstance("select country, ingested_at from spark_streams.created_users")
                    .setTimeout(Duration.ofMinutes(2)))) {
                long millis = row.getInstant(1).toEpochMilli();
                users.merge(row.getString(0) + " " + Instant.ofEpochMilli(Math.floorDiv(millis, 60_000L) * 60_000L), 1L, Long::sum);
            }
            for (Row row : cassandra.execute(SimpleStatement.newInstance(
                    "select country, minute, signups, counted_by, counted_batch, updated_at from spark_streams.signups_per_minute")
                    .setTimeout(Duration.ofMinutes(2)))) {
                counted.put(row.getString(0) + " " + row.getInstant(1), row.getLong(2) + " (run " + row.getUuid(3) + ", micro-batch "
                        + row.getLong(4) + ", at " + row.getInstant(5) + ")");
            }
            Row totals = cassandra.execute("select users, dead_letters, counted_by, counted_batch from spark_streams.stream_totals").one();
            java.util.Set<String> keys = new java.util.TreeSet<>(users.keySet());
            keys.addAll(counted.keySet());
            List<String> differing = keys.stream()
                    .filter(key -> !String.valueOf(users.getOrDefault(key, 0L)).equals(counted.getOrDefault(key, "0").split(" ")[0]))
                    .map(key -> key + ": " + users.getOrDefault(key, 0L) + " users, counted " + counted.getOrDefault(key, "0"))
                    .toList();
            return String.format("%,d users in created_users, %,d signups; stream_totals %s; %d of %d minutes differ%s", users.values()
                    .stream().mapToLong(Long::longValue).sum(), signups(), totals == null ? "none" : totals.getLong(0) + " users (run "
                    + totals.getUuid(2) + ", micro-batch " + totals.getLong(3) + ")", differing.size(), keys.size(),
                    differing.isEmpty() ? "" : ": " + String.join("; ", differing.subList(0, Math.min(20, differing.size()))));
        } catch (RuntimeException e) {
            return "the tables could not be compared: " + e;
        }
    }

    /** Ids with more than one change event in users_created, read committed: a user the job would count twice. */
    private static String eventsTwice() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, String> firstSeen = new HashMap<>();
        List<String> twice = new ArrayList<>();
        long events = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    events++;
                    String at = record.partition() + "@" + record.offset();
                    String before = firstSeen.putIfAbsent(String.valueOf(record.key()), at);
                    if (before != null) {
                        twice.add(record.key() + " at " + before + " and " + at);
                    }
                }
            }
        } catch (RuntimeException e) {
            return "users_created could not be read: " + e;
        }
        return String.format("users_created: %,d events, %,d ids, %,d events of an id seen before%s", events, firstSeen.size(), twice.size(),
                twice.isEmpty() ? "" : " (" + String.join(", ", twice.subList(0, Math.min(10, twice.size()))) + ")");
    }

    /** Every column of created_users against what the landing row and its payload say. */
    private static void assertRowIsPayload(Row row, Landed user) {
        JsonNode p = user.payload;
        JsonNode location = p.path("location");
        String described = "user " + user.id;
        assertThat(row.getString("first_name")).as(described).isEqualTo(p.path("name").path("first").asText().strip());
        assertThat(row.getString("last_name")).as(described).isEqualTo(p.path("name").path("last").asText().strip());
        assertThat(row.getString("gender")).as(described).isEqualTo(p.path("gender").asText());
        assertThat(row.getString("address")).as(described).isEqualTo(location.path("street").path("number").asText() + " "
                + location.path("street").path("name").asText() + ", " + location.path("city").asText() + ", "
                + location.path("state").asText() + ", " + location.path("country").asText());
        assertThat(row.getString("post_code")).as(described).isEqualTo(location.path("postcode").asText());
        assertThat(row.getString("email")).as(described).isEqualTo(p.path("email").asText());
        assertThat(row.getString("username")).as(described).isEqualTo(p.path("login").path("username").asText());
        Instant dob = Instant.parse(p.path("dob").path("date").asText());
        assertThat(row.getInstant("dob")).as(described).isEqualTo(dob);
        assertThat(row.getInt("age")).as(described).isEqualTo(Period.between(LocalDate.ofInstant(dob, ZoneOffset.UTC),
                LocalDate.ofInstant(user.ingestedAt, ZoneOffset.UTC)).getYears());
        assertThat(row.getInstant("registered_date")).as(described).isEqualTo(Instant.parse(p.path("registered").path("date").asText()));
        assertThat(row.getString("phone")).as(described).isEqualTo(p.path("phone").asText());
        assertThat(row.getString("cell")).as(described).isEqualTo(p.path("cell").asText());
        assertThat(row.getString("picture")).as(described).isEqualTo(p.path("picture").path("large").asText());
        assertThat(row.getString("nationality")).as(described).isEqualTo(p.path("nat").asText());
        assertThat(row.getInt("street_number")).as(described).isEqualTo(location.path("street").path("number").asInt());
        assertThat(row.getString("street_name")).as(described).isEqualTo(location.path("street").path("name").asText());
        assertThat(row.getString("city")).as(described).isEqualTo(location.path("city").asText());
        assertThat(row.getString("state")).as(described).isEqualTo(location.path("state").asText());
        assertThat(row.getString("country")).as(described).isEqualTo(location.path("country").asText());
        assertThat(row.getDouble("latitude")).as(described).isEqualTo(Double.parseDouble(location.path("coordinates").path("latitude").asText()));
        assertThat(row.getDouble("longitude")).as(described).isEqualTo(Double.parseDouble(location.path("coordinates").path("longitude").asText()));
        assertThat(row.getString("batch_id")).as(described).isEqualTo(user.batchId);
        assertThat(row.getString("source")).as(described).isEqualTo(user.source);
        // Cassandra keeps milliseconds.
        assertThat(row.getInstant("fetched_at")).as(described).isEqualTo(user.fetchedAt.truncatedTo(ChronoUnit.MILLIS));
        assertThat(row.getInstant("ingested_at")).as(described).isEqualTo(user.ingestedAt.truncatedTo(ChronoUnit.MILLIS));
        assertThat(row.getInstant("published_at")).as(described).isAfterOrEqualTo(user.ingestedAt.truncatedTo(ChronoUnit.MILLIS));
        assertThat(row.getInstant("processed_at")).as(described).isAfterOrEqualTo(row.getInstant("published_at"));
    }

    // --- Kafka ------------------------------------------------------------------------------------------

    private static long records(String topic) {
        try {
            return TopicSize.records(Clients.kafka(), topic);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Spark's startingOffsets JSON for the topic's current end: {"users_created":{"0":n,...}}. */
    private static String endOffsetsJson(String topic) throws Exception {
        Map<String, Long> byPartition = new java.util.TreeMap<>();
        TopicSize.endOffsets(Clients.kafka(), topic).forEach((partition, offset) -> byPartition.put(Integer.toString(partition), offset));
        return JSON.writeValueAsString(Map.of(topic, byPartition));
    }

    /** The JSON values of a single-partition topic from an offset to its end. */
    private static List<JsonNode> readFrom(String topic, long offset) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            Instant deadline = Instant.now().plusSeconds(60);
            while (consumer.position(partition) < end && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(JSON.readTree(record.value()));
                }
            }
        }
        return values;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException lastFailure = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                lastFailure = null;
            } catch (com.datastax.oss.driver.api.core.DriverException e) {
                // A full-table count can fail on a node busy compacting; the next look tries again.
                lastFailure = e;
            }
            if (Instant.now().isAfter(deadline)) {
                AssertionError timedOut = new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (lastFailure == null ? "" : " (the last look failed: " + lastFailure.getMessage() + ")"));
                if (lastFailure != null) {
                    timedOut.initCause(lastFailure);
                }
                throw timedOut;
            }
            Thread.sleep(2_000);
        }
    }

}
