package dev.userpipeline.stream;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two shapes a message of {@code users_created} nests: the landing row as the CDC connector writes it,
 * and, inside its {@code payload} text, the user as the randomuser API (1.4) answered.
 *
 * <p>Every leaf the API sends as text or number is read as text: Spark then keeps a numeric postcode's
 * digits instead of failing the record, and the job decides what each field must be.
 */
public final class UserSchemas {

    /** Holds the raw text of a value that is not JSON at all. */
    public static final String CORRUPT = "_corrupt";

    /** {@code ingest.users_raw} after Debezium's ExtractNewRecordState (timestamps as ISO-8601 text). */
    public static final StructType LANDING_ROW = createStructType(List.of(
            text("id"),
            text("payload"),
            text("batch_id"),
            text("source"),
            text("fetched_at"),
            text("ingested_at"),
            text("__op"),
            createStructField("__source_lsn", LongType, true),
            text(CORRUPT)));

    /** The user object of randomuser.me API 1.4, every field the job reads. */
    public static final StructType RANDOM_USER = createStructType(List.of(
            text("gender"),
            struct("name", text("title"), text("first"), text("last")),
            struct("location",
                    struct("street", text("number"), text("name")),
                    text("city"), text("state"), text("country"), text("postcode"),
                    struct("coordinates", text("latitude"), text("longitude"))),
            text("email"),
            struct("login", text("uuid"), text("username")),
            struct("dob", text("date"), text("age")),
            struct("registered", text("date"), text("age")),
            text("phone"),
            text("cell"),
            struct("picture", text("large"), text("medium"), text("thumbnail")),
            text("nat"),
            text(CORRUPT)));

    private UserSchemas() {
    }

    private static StructField text(String name) {
        return createStructField(name, StringType, true);
    }

    private static StructField struct(String name, StructField... fields) {
        return createStructField(name, createStructType(fields), true);
    }
}
