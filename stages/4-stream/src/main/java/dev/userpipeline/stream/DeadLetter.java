package dev.userpipeline.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The value of a dead letter: why the record was rejected, where it was, what it said of itself (id and batch, when its
 * landing row could be read), and the original value byte for byte: as text when it is UTF-8, else in base64. An
 * original too large to send whole is cut, marked so, with its size and the SHA-256 of the whole.
 */
public final class DeadLetter {

    /**
     * The producer and the dead-letter topic take messages up to {@link #MAX_MESSAGE_BYTES}; an original up to this size
     * fits whole even when escaping or base64 grows it by a third.
     */
    public static final int MAX_WHOLE_BYTES = 4 << 20;
    /** What the job's producer and the dead-letter topic are set to take (Kafka's default is 1 MiB). */
    public static final int MAX_MESSAGE_BYTES = 8 << 20;
    /** How much of a cut original is kept. */
    static final int KEPT_WHEN_CUT = 1 << 20;

    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetter() {
    }

    public static String json(String reason, String topic, Integer partition, Long offset, Timestamp publishedAt,
            Timestamp rejectedAt, String id, String batchId, byte[] value) {
        boolean cut = value != null && value.length > MAX_WHOLE_BYTES;
        String letter = json(reason, topic, partition, offset, publishedAt, rejectedAt, id, batchId, value, cut);
        if (!cut && letter.length() * 3L > MAX_MESSAGE_BYTES - 4_096 && letter.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES - 4_096) {
            // Escaping grew it past the limit (quotes double, control characters take six): cut after all.
            letter = json(reason, topic, partition, offset, publishedAt, rejectedAt, id, batchId, value, true);
        }
        return letter;
    }

    private static String json(String reason, String topic, Integer partition, Long offset, Timestamp publishedAt,
            Timestamp rejectedAt, String id, String batchId, byte[] value, boolean cut) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value == null ? 256 : Math.min(value.length, MAX_WHOLE_BYTES) + 512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("reason", reason);
            json.writeStringField("topic", topic);
            if (partition != null) {
                json.writeNumberField("partition", partition);
            }
            if (offset != null) {
                json.writeNumberField("offset", offset);
            }
            if (publishedAt != null) {
                json.writeStringField("published_at", publishedAt.toInstant().toString());
            }
            if (rejectedAt != null) {
                json.writeStringField("rejected_at", rejectedAt.toInstant().toString());
            }
            if (id != null && !id.isEmpty()) {
                json.writeStringField("id", id);
            }
            if (batchId != null && !batchId.isEmpty()) {
                json.writeStringField("batch_id", batchId);
            }
            if (value != null) {
                json.writeNumberField("value_bytes", value.length);
                byte[] kept = cut ? java.util.Arrays.copyOf(value, Math.min(value.length, KEPT_WHEN_CUT)) : value;
                String text = utf8(kept, cut);
                if (text != null) {
                    json.writeStringField("value", text);
                } else {
                    json.writeStringField("value_base64", Base64.getEncoder().encodeToString(kept));
                }
                if (cut) {
                    json.writeBooleanField("value_cut", true);
                    json.writeStringField("value_sha256", sha256(value));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The bytes as text when they are UTF-8 (a cut one may end inside a character: that end is dropped), else null. */
    static String utf8(byte[] bytes, boolean mayEndMidCharacter) {
        int length = bytes.length;
        if (mayEndMidCharacter) {
            // Back off at most 3 continuation bytes to the start of the last whole character.
            int start = length;
            while (start > 0 && length - start < 4 && (bytes[start - 1] & 0xC0) == 0x80) {
                start--;
            }
            if (start > 0 && (bytes[start - 1] & 0x80) != 0) {
                length = start - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
