package dev.userpipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job's transforms on rows shaped like the Kafka source's, in a local Spark session. */
class UserRecordsTest {

    static final String ID = "0b0ad4b4-7a3c-4b5e-9f43-6d3c2b1a0f9e";
    static final StructType KAFKA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("key", DataTypes.BinaryType, true),
            DataTypes.createStructField("value", DataTypes.BinaryType, true),
            DataTypes.createStructField("topic", DataTypes.StringType, false),
            DataTypes.createStructField("partition", DataTypes.IntegerType, false),
            DataTypes.createStructField("offset", DataTypes.LongType, false),
            DataTypes.createStructField("timestamp", DataTypes.TimestampType, false)));

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("user-records-test")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aValidUserBecomesOneRowWithEveryColumnFromItsPayload() {
        String payload = user(ID, "  Ali ", "رضایی", "\"ali.rezaei@example.com\"", "\"1985-03-02T11:22:33.456Z\"", "5711")
                .replace("\"نیشابور\"", "\"نیشابور\"");
        Row row = createdUsers(message(ID, landingRow(ID, payload))).get(0);

        assertThat(row.<String>getAs("id")).isEqualTo(ID);
        assertThat(row.<String>getAs("first_name")).isEqualTo("Ali");
        assertThat(row.<String>getAs("last_name")).isEqualTo("رضایی");
        assertThat(row.<String>getAs("gender")).isEqualTo("male");
        assertThat(row.<String>getAs("address")).isEqualTo("5711 خیابان امام, نیشابور, خراسان رضوی, Iran");
        assertThat(row.<String>getAs("post_code")).isEqualTo("5711");
        assertThat(row.<String>getAs("email")).isEqualTo("ali.rezaei@example.com");
        assertThat(row.<String>getAs("username")).isEqualTo("bluefish42");
        assertThat(row.<Timestamp>getAs("dob").toInstant()).isEqualTo(Instant.parse("1985-03-02T11:22:33.456Z"));
        // Landed 2026-11-25: 41 years after a birth on 1985-03-02.
        assertThat(row.<Integer>getAs("age")).isEqualTo(41);
        assertThat(row.<Timestamp>getAs("registered_date").toInstant()).isEqualTo(Instant.parse("2010-06-01T08:00:00.000Z"));
        assertThat(row.<String>getAs("phone")).isEqualTo("033-12345678");
        assertThat(row.<String>getAs("cell")).isEqualTo("0935-123-4567");
        assertThat(row.<String>getAs("picture")).isEqualTo("https://randomuser.me/api/portraits/men/7.jpg");
        assertThat(row.<String>getAs("nationality")).isEqualTo("IR");
        assertThat(row.<Integer>getAs("street_number")).isEqualTo(5711);
        assertThat(row.<String>getAs("street_name")).isEqualTo("خیابان امام");
        assertThat(row.<String>getAs("city")).isEqualTo("نیشابور");
        assertThat(row.<String>getAs("state")).isEqualTo("خراسان رضوی");
        assertThat(row.<String>getAs("country")).isEqualTo("Iran");
        assertThat(row.<Double>getAs("latitude")).isEqualTo(36.2134);
        assertThat(row.<Double>getAs("longitude")).isEqualTo(-58.7961);
        assertThat(row.<String>getAs("batch_id")).isEqualTo("batch-1");
        assertThat(row.<String>getAs("source")).isEqualTo("offline");
        assertThat(row.<Timestamp>getAs("fetched_at").toInstant()).isEqualTo(Instant.parse("2026-11-25T07:00:00.123456Z"));
        assertThat(row.<Timestamp>getAs("ingested_at").toInstant()).isEqualTo(Instant.parse("2026-11-25T07:00:01.5Z"));
        assertThat(row.<Timestamp>getAs("published_at").toInstant()).isEqualTo(Instant.parse("2026-11-25T07:00:02Z"));
        assertThat(row.<Timestamp>getAs("processed_at")).isNotNull();
        assertThat(row.schema().fieldNames()).containsExactly(UserRecords.CREATED_USER_COLUMNS);
    }

    @Test
    void aPostcodeSentAsTextIsKeptAsText() {
        String payload = user(ID, "Olena", "Шевченко", "\"olena@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "\"K1A 0B1\"");
        Row row = createdUsers(message(ID, landingRow(ID, payload))).get(0);
        assertThat(row.<String>getAs("post_code")).isEqualTo("K1A 0B1");
        assertThat(row.<String>getAs("last_name")).isEqualTo("Шевченко");
    }

    @Test
    void everyBrokenRecordIsADeadLetterWithItsReason() {
        String good = user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "11000");
        String other = "9f1c1d9e-2c4b-4a43-8b0f-5d2e3c4b5a69";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{not json", "value is not JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name at character 2");
        cases.put("[1,2,3]", "value is an array, not a JSON object");
        cases.put(landingRow(ID, good).replace("\"__source_lsn\":123456", "\"__source_lsn\":\"0/16B3748\""),
                "value.__source_lsn is a string (0/16B3748), not a whole number");
        cases.put("{\"payload\":\"{}\"}", "landing row has no id");
        cases.put(landingRow("not-a-uuid", good), "id is not a uuid: not-a-uuid");
        cases.put("{\"id\":\"" + ID + "\",\"batch_id\":\"b\"}", "landing row has no payload");
        cases.put(landingRow(ID, "<html>oops</html>"), "payload is not JSON: Unexpected character ('<' (code 60)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at character 1");
        cases.put(landingRow(ID, good.replaceFirst("\"name\":\\{[^}]*\\}", "\"name\":\"Ana Petrović\"")), "payload.name is a string, not an object");
        cases.put(landingRow(ID, good.replace("\"street\":{", "\"street\":[{").replace("\"خیابان امام\"}", "\"خیابان امام\"}]")),
                "payload.location.street is an array, not an object");
        cases.put(landingRow(other, good), "payload login.uuid (" + ID + ") differs from the row id");
        cases.put(landingRow(ID, user(ID, " ", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "1")), "name.first is missing");
        cases.put(landingRow(ID, user(ID, "Ana", null, "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "1")), "name.last is missing");
        cases.put(landingRow(ID, user(ID, "Ana", "Petrović", "\"ana.example.com\"", "\"1990-01-01T00:00:00.000Z\"", "1")), "email is not an address: ana.example.com");
        cases.put(landingRow(ID, user(ID, "Ana", "Petrović", "null", "\"1990-01-01T00:00:00.000Z\"", "1")), "email is not an address: missing");
        cases.put(landingRow(ID, user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"yesterday\"", "1")), "dob.date is not a timestamp: yesterday");
        cases.put(landingRow(ID, good).replace("2026-11-25T07:00:01.5Z", "soon"), "ingested_at is not a timestamp: soon");

        List<Row> messages = new ArrayList<>();
        cases.keySet().forEach(value -> messages.add(message(ID, value)));
        messages.add(RowFactory.create(null, null, "users_created", 0, 99L, Timestamp.from(Instant.parse("2026-11-25T07:00:02Z"))));
        Dataset<Row> validated = validated(messages);

        assertThat(UserRecords.createdUsers(UserRecords.outcomes(validated)).count()).isZero();
        List<String> reasons = UserRecords.rejected(UserRecords.outcomes(validated))
                .selectExpr("get_json_object(value, '$.reason')").collectAsList().stream()
                .map(r -> r.getString(0)).collect(Collectors.toList());
        List<String> expected = new ArrayList<>(cases.values());
        expected.add("message has no value");
        assertThat(reasons).containsExactlyElementsOf(expected);
    }

    @Test
    void aDeadLetterKeepsTheOriginalValueKeyAndPosition() {
        Row letter = UserRecords.rejected(UserRecords.outcomes(validated(List.of(message(ID, "{not json"))))).collectAsList().get(0);
        assertThat(letter.<String>getAs("key")).isEqualTo("\"" + ID + "\"");
        Dataset<Row> fields = spark.createDataFrame(List.of(letter), letter.schema())
                .selectExpr("get_json_object(value, '$.value')", "get_json_object(value, '$.topic')",
                        "get_json_object(value, '$.offset')");
        Row row = fields.collectAsList().get(0);
        assertThat(row.getString(0)).isEqualTo("{not json");
        assertThat(row.getString(1)).isEqualTo("users_created");
        assertThat(row.getString(2)).isEqualTo("7");
    }

    @Test
    void aDeadLetterKeepsBytesThatAreNotUtf8ExactlyInBase64() {
        byte[] latin1 = "{\"id\":\"Jos\u00e9\"".getBytes(StandardCharsets.ISO_8859_1);
        Row message = RowFactory.create(("\"" + ID + "\"").getBytes(StandardCharsets.UTF_8), latin1,
                "users_created", 0, 7L, Timestamp.from(Instant.parse("2026-11-25T07:00:02Z")));
        Row letter = spark.createDataFrame(UserRecords.rejected(UserRecords.outcomes(validated(List.of(message)))).collectAsList(),
                        UserRecords.rejected(UserRecords.outcomes(validated(List.of(message)))).schema())
                .selectExpr("get_json_object(value, '$.value')", "get_json_object(value, '$.value_base64')",
                        "get_json_object(value, '$.value_bytes')", "get_json_object(value, '$.reason')").collectAsList().get(0);
        assertThat(row(letter, 0)).isNull();
        assertThat(java.util.Base64.getDecoder().decode(row(letter, 1))).isEqualTo(latin1);
        assertThat(row(letter, 2)).isEqualTo(Integer.toString(latin1.length));
        assertThat(row(letter, 3)).startsWith("value is not JSON");
    }

    @Test
    void aDeadLetterNamesTheIdAndBatchItsLandingRowGives() {
        String nameAsText = user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "1")
                .replaceFirst("\"name\":\\{[^}]*\\}", "\"name\":\"Ana\"");
        Row letter = UserRecords.rejected(UserRecords.outcomes(validated(List.of(message(ID, landingRow(ID, nameAsText))))))
                .selectExpr("get_json_object(value, '$.id')", "get_json_object(value, '$.batch_id')", "get_json_object(value, '$.reason')")
                .collectAsList().get(0);
        assertThat(row(letter, 0)).isEqualTo(ID);
        assertThat(row(letter, 1)).isEqualTo("batch-1");
        assertThat(row(letter, 2)).isEqualTo("payload.name is a string, not an object");
    }

    @Test
    void anEmptyStreetOrCityLeavesNoDanglingSeparatorInTheAddress() {
        String payload = user(ID, "Olena", "Шевченко", "\"olena@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "1")
                .replace("\"خیابان امام\"", "\"  \"");
        assertThat(createdUsers(message(ID, landingRow(ID, payload))).get(0).<String>getAs("address"))
                .isEqualTo("5711, نیشابور, خراسان رضوی, Iran");
        String noStreetNoCity = payload.replace("\"number\":5711", "\"number\":\"\"").replace("\"نیشابور\"", "\"\"");
        assertThat(createdUsers(message(ID, landingRow(ID, noStreetNoCity))).get(0).<String>getAs("address"))
                .isEqualTo("خراسان رضوی, Iran");
    }

    private static String row(Row row, int i) {
        return row.isNullAt(i) ? null : row.getString(i);
    }

    @Test
    void anOutcomeIsEitherAUserRowOrADeadLetterWithTheOriginalMessage() {
        String good = landingRow(ID, user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "11000"));
        Dataset<Row> outcomes = UserRecords.outcomes(validated(List.of(message(ID, good), message(ID, "{not json"))));

        assertThat(outcomes.columns()).doesNotContain("row", "user", "value").startsWith(UserRecords.CREATED_USER_COLUMNS)
                .endsWith("reason", "key", "dead_letter");
        List<Row> rows = outcomes.orderBy(org.apache.spark.sql.functions.col("reason").asc_nulls_first()).collectAsList();
        Row user = rows.get(0);
        assertThat(user.<String>getAs("reason")).isNull();
        assertThat(user.<String>getAs("last_name")).isEqualTo("Petrović");
        assertThat(user.<Timestamp>getAs("processed_at")).isNotNull();
        assertThat(user.<String>getAs("dead_letter")).isNull();

        Row rejected = rows.get(1);
        assertThat(rejected.<String>getAs("key")).isEqualTo("\"" + ID + "\"");
        Row letter = spark.createDataFrame(List.of(rejected), outcomes.schema())
                .selectExpr("get_json_object(dead_letter, '$.reason')", "get_json_object(dead_letter, '$.value')").collectAsList().get(0);
        assertThat(letter.getString(0)).startsWith("value is not JSON: ");
        assertThat(letter.getString(1)).isEqualTo("{not json");
    }

    @Test
    void theJobsPlanParsesEachLayerOfARecordOnce() {
        String good = landingRow(ID, user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "11000"));
        // Rows of an RDD, as a source gives them: rows of a local list would be folded into constants.
        Dataset<Row> kafka = spark.createDataFrame(
                new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(List.of(message(ID, good))), KAFKA);
        spark.conf().set("spark.sql.debug.maxToStringFields", "1000");
        String plan = UserRecords.outcomes(UserRecords.validated(kafka)).queryExecution().optimizedPlan().toString();
        assertThat(plan.split("from_json\\(", -1)).hasSize(1 + 2);
        // Past the two parses (which Spark 3.5 does not generate code for), the outcomes are one stage of generated code.
        String physical = UserRecords.outcomes(UserRecords.validated(kafka)).queryExecution().executedPlan().treeString();
        assertThat(physical.lines().findFirst().orElseThrow()).startsWith("*(");
    }

    @Test
    void everyMicroBatchRunsTheSameGeneratedCodeSoItIsCompiledOnce() throws Exception {
        String good = landingRow(ID, user(ID, "Ana", "Petrović", "\"ana@example.com\"", "\"1990-01-01T00:00:00.000Z\"", "11000"));
        Dataset<Row> kafka = spark.createDataFrame(
                new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(List.of(message(ID, good))), KAFKA);
        List<String> first = generatedCode(UserRecords.createdUsers(UserRecords.outcomes(UserRecords.validated(kafka))));
        Thread.sleep(5);
        List<String> second = generatedCode(UserRecords.createdUsers(UserRecords.outcomes(UserRecords.validated(kafka))));
        // A per-batch constant in the code (current_timestamp() folds into one) would make Spark compile it per batch.
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private static List<String> generatedCode(Dataset<Row> rows) {
        return scala.jdk.javaapi.CollectionConverters.asJava(rows.queryExecution().debug().codegenToSeq()).stream()
                .map(scala.Tuple3::_2).collect(Collectors.toList());
    }

    @Test
    void timestampsInUtcOrWithAnOffsetReadAsTheSameInstant() {
        Row times = spark.sql("select '2026-11-25T07:00:01.654321Z' as z, '2026-11-25T09:00:01.654321+02:00' as offset, 'Z' as bare")
                .select(UserRecords.timestamp(org.apache.spark.sql.functions.col("z")),
                        UserRecords.timestamp(org.apache.spark.sql.functions.col("offset")),
                        UserRecords.timestamp(org.apache.spark.sql.functions.col("bare")))
                .collectAsList().get(0);
        assertThat(((Timestamp) times.get(0)).toInstant()).isEqualTo(Instant.parse("2026-11-25T07:00:01.654321Z"));
        assertThat(((Timestamp) times.get(1)).toInstant()).isEqualTo(Instant.parse("2026-11-25T07:00:01.654321Z"));
        assertThat(times.isNullAt(2)).isTrue();
    }

    @Test
    void aBatchCountsEachUserOncePerCountryAndMinuteOfLandingAndItsDeadLetters() {
        String second = "9f1c1d9e-2c4b-4a43-8b0f-5d2e3c4b5a69";
        String third = "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        List<Row> messages = List.of(
                message(ID, landingRow(ID, user(ID, "Ali", "Rezaei", "\"a@example.com\"", "\"1985-03-02T11:22:33.456Z\"", "1"))),
                // The same user twice in one batch: one row in created_users, so counted once.
                message(ID, landingRow(ID, user(ID, "Ali", "Rezaei", "\"a@example.com\"", "\"1985-03-02T11:22:33.456Z\"", "1"))),
                message(second, landingRow(second, user(second, "Sara", "Ahmadi", "\"s@example.com\"", "\"1985-03-02T11:22:33.456Z\"", "1"))),
                message(third, landingRow(third, user(third, "Reza", "Karimi", "\"r@example.com\"", "\"1985-03-02T11:22:33.456Z\"", "1"))
                        .replace("2026-11-25T07:00:01.5Z", "2026-11-25T07:01:59.999999Z")),
                message(ID, "{not json"),
                message(second, landingRow(second, user(second, "Sara", "Ahmadi", "\"not an address\"", "\"1985-03-02T11:22:33.456Z\"", "1"))));

        BatchCounts counts = BatchCounts.of(UserRecords.outcomes(validated(messages)));

        assertThat(counts.signups()).containsExactly(
                Map.entry(new BatchCounts.Minute("Iran", Instant.parse("2026-11-25T07:00:00Z")), 2L),
                Map.entry(new BatchCounts.Minute("Iran", Instant.parse("2026-11-25T07:01:00Z")), 1L));
        assertThat(counts.users()).isEqualTo(3);
        assertThat(counts.deadLetters()).isEqualTo(2);
    }

    @Test
    void aBatchOfDeadLettersOnlyCountsNoSignups() {
        BatchCounts counts = BatchCounts.of(UserRecords.outcomes(validated(List.of(message(ID, "{not json")))));

        assertThat(counts.signups()).isEmpty();
        assertThat(counts.users()).isZero();
        assertThat(counts.deadLetters()).isEqualTo(1);
        assertThat(counts.isEmpty()).isFalse();
    }

    @Test
    void theCqlFileGivesTheKeyspaceAndItsTables() {
        List<String> statements = CassandraSchema.statements("ks", 3);
        assertThat(statements).hasSize(5);
        assertThat(statements.get(0)).startsWith("CREATE KEYSPACE IF NOT EXISTS ks").contains("'replication_factor': 3");
        assertThat(statements.get(1)).startsWith("CREATE TABLE IF NOT EXISTS ks.created_users");
        for (String column : UserRecords.CREATED_USER_COLUMNS) {
            assertThat(statements.get(1)).containsPattern("\\n\\s+" + column + "\\s");
        }
        assertThat(statements.get(2)).startsWith("CREATE TABLE IF NOT EXISTS ks.signups_per_minute");
        assertThat(statements.get(3)).startsWith("ALTER TABLE ks.signups_per_minute ADD IF NOT EXISTS");
        assertThat(statements.get(4)).startsWith("CREATE TABLE IF NOT EXISTS ks.stream_totals");
    }

    private static List<Row> createdUsers(Row... messages) {
        return UserRecords.createdUsers(UserRecords.outcomes(validated(Arrays.asList(messages)))).collectAsList();
    }

    private static Dataset<Row> validated(List<Row> messages) {
        Dataset<Row> kafka = spark.createDataFrame(messages, KAFKA);
        return UserRecords.validated(kafka);
    }

    /** A Kafka record as the source gives it: the key as JSON text, as Connect's JsonConverter writes it. */
    private static Row message(String id, String value) {
        return RowFactory.create(("\"" + id + "\"").getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                "users_created", 0, 7L, Timestamp.from(Instant.parse("2026-11-25T07:00:02Z")));
    }

    /** The landing row as Debezium's ExtractNewRecordState writes it, the payload as a JSON string. */
    static String landingRow(String id, String payload) {
        return "{\"id\":\"" + id + "\",\"payload\":" + jsonString(payload) + ",\"batch_id\":\"batch-1\",\"source\":\"offline\","
                + "\"fetched_at\":\"2026-11-25T07:00:00.123456Z\",\"ingested_at\":\"2026-11-25T07:00:01.5Z\",\"__op\":\"c\","
                + "\"__source_ts_ms\":1795590001500,\"__source_lsn\":123456}";
    }

    /** A randomuser 1.4 user; email, dob and postcode are given as JSON (so a test can send null or a number). */
    static String user(String uuid, String first, String last, String email, String dob, String postcode) {
        return "{\"gender\":\"male\",\"name\":{\"title\":\"Mr\",\"first\":" + jsonText(first) + ",\"last\":" + jsonText(last) + "},"
                + "\"location\":{\"street\":{\"number\":5711,\"name\":\"خیابان امام\"},\"city\":\"نیشابور\",\"state\":\"خراسان رضوی\","
                + "\"country\":\"Iran\",\"postcode\":" + postcode + ",\"coordinates\":{\"latitude\":\"36.2134\",\"longitude\":\"-58.7961\"},"
                + "\"timezone\":{\"offset\":\"+3:30\",\"description\":\"Tehran\"}},"
                + "\"email\":" + email + ",\"login\":{\"uuid\":\"" + uuid + "\",\"username\":\"bluefish42\",\"password\":\"x\"},"
                + "\"dob\":{\"date\":" + dob + ",\"age\":41},\"registered\":{\"date\":\"2010-06-01T08:00:00.000Z\",\"age\":16},"
                + "\"phone\":\"033-12345678\",\"cell\":\"0935-123-4567\",\"id\":{\"name\":\"\",\"value\":null},"
                + "\"picture\":{\"large\":\"https://randomuser.me/api/portraits/men/7.jpg\",\"medium\":\"m\",\"thumbnail\":\"t\"},\"nat\":\"IR\"}";
    }

    private static String jsonText(String text) {
        return text == null ? "null" : jsonString(text);
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
