package dev.userpipeline.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The value of a record of the accepted topic: {@code {"id", "country", "ingested_at"}}, the landing time to the
 * microsecond in UTC, as {@link UserRecords#accepted} reads it back.
 *
 * <p>Written here rather than with Spark's {@code to_json}: that expression has no generated code in Spark 3.5, and
 * one such expression keeps the whole projection of a micro-batch's outcomes out of whole-stage code generation.
 */
public final class AcceptedUser {

    /** The pattern {@link UserRecords#accepted} parses with. */
    static final String TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private AcceptedUser() {
    }

    public static String json(String id, String country, Timestamp ingestedAt) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("country", country);
            if (ingestedAt != null) {
                json.writeStringField("ingested_at", TIME.format(ingestedAt.toInstant()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
