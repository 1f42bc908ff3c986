package dev.userpipeline.stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF9;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The job's transforms, in the order a record meets them: parse the Kafka message, normalise the user,
 * validate it, then either a {@code created_users} row or a dead letter ({@link BatchCounts} counts them). Each is a
 * plain function of a Dataset, so tests call it on
 * rows they build, without Kafka or Cassandra.
 */
public final class UserRecords {

    /** Columns of {@code spark_streams.created_users}, in the order of its CQL. */
    public static final String[] CREATED_USER_COLUMNS = StreamContract.CREATED_USERS_COLUMNS.toArray(String[]::new);

    static final String UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    /** Something, an @, something with a dot: the shape, not deliverability. */
    static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    private static final Map<String, String> PERMISSIVE = Map.of(
            "mode", "PERMISSIVE", "columnNameOfCorruptRecord", UserSchemas.CORRUPT);
    /** Why a landing row's text is not one: asked of rejected records only (a CASE branch is evaluated when reached). */
    private static final UserDefinedFunction ROW_PROBLEM = udf(
            (UDF1<String, String>) text -> JsonShape.problem("value", text, UserSchemas.LANDING_ROW), DataTypes.StringType);
    private static final UserDefinedFunction PAYLOAD_PROBLEM = udf(
            (UDF1<String, String>) text -> JsonShape.problem("payload", text, UserSchemas.RANDOM_USER), DataTypes.StringType);
    /**
     * The time a record is processed, asked per record. Not {@code current_timestamp()}: Spark folds that into a literal
     * per micro-batch, which lands in the generated code, so every micro-batch compiled the whole outcomes projection
     * again (janino was an eighth of the driver's CPU at 100 users/s, and planning most of a small batch's time).
     */
    private static final UserDefinedFunction NOW = udf(
            (UDF0<java.sql.Timestamp>) () -> java.sql.Timestamp.from(java.time.Instant.now()), DataTypes.TimestampType).asNondeterministic();
    /** A dead letter's value, the original bytes kept exactly ({@link DeadLetter}). */
    private static final UserDefinedFunction DEAD_LETTER = udf(
            (UDF9<String, String, Integer, Long, java.sql.Timestamp, java.sql.Timestamp, String, String, byte[], String>) DeadLetter::json,
            DataTypes.StringType);

    private UserRecords() {
    }

    /**
     * Kafka records to their key as text, their value's bytes as they came, and the two parsed layers: {@code row}
     * (the landing row) and {@code user} (its payload). A value that does not parse leaves its text in the layer's
     * {@code _corrupt} field.
     *
     * <p>Each layer is parsed once per record as long as no filter stands between the parse and the write: to push a
     * filter on {@code reason} down, the optimizer inlines the parse into it, once per field a rule reads (measured: 5
     * times slower). The job caches the outcomes ({@link #outcomes}) before it filters them, and a test checks the
     * plan up to there.
     */
    public static Dataset<Row> parse(Dataset<Row> messages) {
        return messages
                .select(
                        col("key").cast("string").as("key"),
                        col("value"),
                        col("topic"),
                        col("partition"),
                        col("offset"),
                        col("timestamp").as("published_at"))
                .withColumn("row", from_json(col("value").cast("string"), UserSchemas.LANDING_ROW, PERMISSIVE))
                .withColumn("user", from_json(col("row.payload"), UserSchemas.RANDOM_USER, PERMISSIVE));
    }

    /** Trimmed text, timestamps and numbers in the columns of {@code created_users} (but processed_at). */
    public static Dataset<Row> normalise(Dataset<Row> parsed) {
        Column streetNumber = clean("user.location.street.number");
        Column streetName = clean("user.location.street.name");
        Column city = clean("user.location.city");
        Column state = clean("user.location.state");
        Column country = clean("user.location.country");
        return parsed
                .withColumn("id", lower(clean("row.id")))
                .withColumn("first_name", clean("user.name.first"))
                .withColumn("last_name", clean("user.name.last"))
                .withColumn("gender", clean("user.gender"))
                .withColumn("post_code", clean("user.location.postcode"))
                .withColumn("email", clean("user.email"))
                .withColumn("username", clean("user.login.username"))
                .withColumn("dob", timestamp(clean("user.dob.date")))
                .withColumn("registered_date", timestamp(clean("user.registered.date")))
                .withColumn("phone", clean("user.phone"))
                .withColumn("cell", clean("user.cell"))
                .withColumn("picture", clean("user.picture.large"))
                .withColumn("nationality", clean("user.nat"))
                .withColumn("street_number", streetNumber.cast("int"))
                .withColumn("street_name", streetName)
                .withColumn("city", city)
                .withColumn("state", state)
                .withColumn("country", country)
                .withColumn("latitude", clean("user.location.coordinates.latitude").cast("double"))
                .withColumn("longitude", clean("user.location.coordinates.longitude").cast("double"))
                .withColumn("batch_id", clean("row.batch_id"))
                .withColumn("source", clean("row.source"))
                .withColumn("fetched_at", timestamp(clean("row.fetched_at")))
                .withColumn("ingested_at", timestamp(clean("row.ingested_at")))
                // The seed's address: "number street, city, state, country". concat_ws skips nulls only, so an empty
                // part is made null first: an empty street name must not leave "7362 , Kyiv".
                .withColumn("address", concat_ws(", ",
                        present(concat_ws(" ", present(streetNumber), present(streetName))),
                        present(city), present(state), present(country)))
                // Age in whole years on the (UTC) day the user landed, so that a replay computes the same value.
                .withColumn("age", year(col("ingested_at")).minus(year(col("dob")))
                        .minus(when(month(col("ingested_at")).lt(month(col("dob")))
                                .or(month(col("ingested_at")).equalTo(month(col("dob")))
                                        .and(dayofmonth(col("ingested_at")).lt(dayofmonth(col("dob"))))), 1)
                                .otherwise(0)));
    }

    /** Adds {@code reason}: null for a valid user, else why it is rejected (the first rule it breaks). */
    public static Dataset<Row> validate(Dataset<Row> normalised) {
        Column reason =
                when(col("value").isNull(), lit("message has no value"))
                .when(col("row").isNull().or(col("row." + UserSchemas.CORRUPT).isNotNull()),
                        ROW_PROBLEM.apply(col("value").cast("string")))
                .when(col("id").isNull(), lit("landing row has no id"))
                .when(not(col("id").rlike(UUID_PATTERN)), concat(lit("id is not a uuid: "), col("row.id")))
                .when(col("row.payload").isNull(), lit("landing row has no payload"))
                .when(col("user").isNull().or(col("user." + UserSchemas.CORRUPT).isNotNull()),
                        PAYLOAD_PROBLEM.apply(col("row.payload")))
                .when(coalesce(lower(clean("user.login.uuid")), lit("")).notEqual(col("id")),
                        concat(lit("payload login.uuid ("), coalesce(col("user.login.uuid"), lit("missing")),
                                lit(") differs from the row id")))
                .when(blank("first_name"), lit("name.first is missing"))
                .when(blank("last_name"), lit("name.last is missing"))
                .when(col("email").isNull().or(not(col("email").rlike(EMAIL_PATTERN))),
                        concat(lit("email is not an address: "), coalesce(col("user.email"), lit("missing"))))
                .when(col("dob").isNull(),
                        concat(lit("dob.date is not a timestamp: "), coalesce(col("user.dob.date"), lit("missing"))))
                .when(col("registered_date").isNull(),
                        concat(lit("registered.date is not a timestamp: "), coalesce(col("user.registered.date"), lit("missing"))))
                .when(blank("country"), lit("location.country is missing"))
                .when(col("fetched_at").isNull(),
                        concat(lit("fetched_at is not a timestamp: "), coalesce(col("row.fetched_at"), lit("missing"))))
                .when(col("ingested_at").isNull(),
                        concat(lit("ingested_at is not a timestamp: "), coalesce(col("row.ingested_at"), lit("missing"))));
        return normalised.withColumn("reason", reason);
    }

    /** Kafka records through every step up to the verdict: parsed, normalised, validated. */
    public static Dataset<Row> validated(Dataset<Row> messages) {
        return validate(normalise(parse(messages)));
    }

    /**
     * Each validated record as what the job writes of it, in one row: a valid user's columns of {@code created_users},
     * or a rejected record's {@code reason}, {@code key} and dead letter ({@code dead_letter}). A micro-batch is cached
     * in this shape for its writes and counts ({@link UserBatchWriter}); the parsed layers and the original
     * text go no further.
     */
    public static Dataset<Row> outcomes(Dataset<Row> validated) {
        List<Column> columns = new ArrayList<>();
        for (String column : CREATED_USER_COLUMNS) {
            columns.add(column.equals("processed_at") ? NOW.apply().as("processed_at") : col(column));
        }
        columns.add(col("reason"));
        columns.add(col("key"));
        columns.add(when(col("reason").isNotNull(), deadLetterValue()).as("dead_letter"));
        return validated.select(columns.toArray(Column[]::new));
    }

    /** Valid users of {@link #outcomes} as rows of {@code created_users}. */
    public static Dataset<Row> createdUsers(Dataset<Row> outcomes) {
        return outcomes
                .where(col("reason").isNull())
                .selectExpr(CREATED_USER_COLUMNS);
    }

    private static Column deadLetterValue() {
        return DEAD_LETTER.apply(col("reason"), col("topic"), col("partition"), col("offset"), col("published_at"),
                NOW.apply(), col("id"), col("batch_id"), col("value"));
    }

    /** Rejected records of {@link #outcomes} as records of the dead-letter topic: the original key and the dead letter. */
    public static Dataset<Row> rejected(Dataset<Row> outcomes) {
        return outcomes
                .where(col("reason").isNotNull())
                .select(col("key"), col("dead_letter").as("value"));
    }

    /**
     * ISO-8601 text as a timestamp. A trailing "Z" is cut and the rest read in the session's time zone, which the job
     * fixes to UTC: for a value that names its zone Spark compiles a regular expression per value
     * ({@code SparkDateTimeUtils.getZoneId}), which was 6 % of the job's CPU in a profile of a 100,000-user burst.
     * Other offsets are read as they are.
     */
    static Column timestamp(Column text) {
        return to_timestamp(when(text.endsWith("Z"), text.substr(lit(1), length(text).minus(1))).otherwise(text));
    }

    private static Column clean(String path) {
        return trim(col(path));
    }

    /** Null for an empty text, so that concat_ws leaves it out. */
    private static Column present(Column text) {
        return when(text.notEqual(""), text);
    }

    private static Column blank(String column) {
        return col(column).isNull().or(col(column).equalTo(""));
    }
}
