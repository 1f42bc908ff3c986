package dev.userpipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Timestamp AT = Timestamp.from(Instant.parse("2026-12-04T10:00:00Z"));

    @Test
    void aTextOriginalIsKeptAsTextWithItsSize() throws Exception {
        byte[] value = "{\"id\":\"Ђорђе \\\"x\\\"\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode letter = JSON.readTree(DeadLetter.json("r", "users_created", 1, 9L, AT, AT, null, null, value));
        assertThat(letter.path("value").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(value);
        assertThat(letter.path("value_bytes").asInt()).isEqualTo(value.length);
        assertThat(letter.has("value_base64")).isFalse();
        assertThat(letter.has("value_cut")).isFalse();
        assertThat(letter.path("partition").asInt()).isEqualTo(1);
        assertThat(letter.path("published_at").asText()).isEqualTo("2026-12-04T10:00:00Z");
    }

    @Test
    void anOriginalOverTheLimitIsCutMarkedAndHashedAndTheLetterFitsTheTopic() throws Exception {
        byte[] value = new byte[DeadLetter.MAX_WHOLE_BYTES + 1_000];
        Arrays.fill(value, (byte) '"');
        String text = DeadLetter.json("r", "users_created", 0, 1L, AT, AT, "id", "b", value);
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(DeadLetter.MAX_MESSAGE_BYTES);
        JsonNode letter = JSON.readTree(text);
        assertThat(letter.path("value_cut").asBoolean()).isTrue();
        assertThat(letter.path("value_bytes").asInt()).isEqualTo(value.length);
        assertThat(letter.path("value_sha256").asText()).isEqualTo(DeadLetter.sha256(value));
        assertThat(letter.path("value").asText()).hasSize(1 << 20);
    }

    @Test
    void anOriginalAtTheLimitEscapedToTheWorstStillFitsTheTopic() {
        // Every byte a quote: JSON escaping doubles it.
        byte[] value = new byte[DeadLetter.MAX_WHOLE_BYTES];
        Arrays.fill(value, (byte) '"');
        String letter = DeadLetter.json("r", "t", 0, 1L, AT, AT, null, null, value);
        assertThat(letter.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DeadLetter.MAX_MESSAGE_BYTES);
        assertThat(letter).contains("\"value_cut\":true", DeadLetter.sha256(value));
    }

    @Test
    void bytesThatAreNotUtf8GoInBase64Exactly() throws Exception {
        byte[] value = {(byte) 0xff, (byte) 0xfe, 'a', (byte) 0xc3};
        JsonNode letter = JSON.readTree(DeadLetter.json("r", "t", 0, 1L, AT, AT, null, null, value));
        assertThat(letter.has("value")).isFalse();
        assertThat(Base64.getDecoder().decode(letter.path("value_base64").asText())).isEqualTo(value);
    }
}
