package dev.userpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicWatchTest {

    // A value as the connector writes it; the payload text names another batch, with its quotes escaped.
    private static final byte[] VALUE = ("{\"id\":\"u-1\",\"payload\":\"{\\\"batch_id\\\":\\\"bench-x\\\", \\\"nat\\\": \\\"ES\\\"}\","
            + "\"batch_id\":\"bench-y\",\"source\":\"offline\",\"fetched_at\":\"2026-11-25T16:47:51.477250Z\","
            + "\"ingested_at\":\"2026-11-25T16:47:53.250116Z\",\"__op\":\"c\",\"__source_lsn\":33028520}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void findsTheBatchOnlyAtTheTopLevel() {
        assertThat(TopicWatch.indexOf(VALUE, TopicWatch.field("batch_id", "bench-y"), 0)).isPositive();
        assertThat(TopicWatch.indexOf(VALUE, TopicWatch.field("batch_id", "bench-x"), 0)).isEqualTo(-1);
        assertThat(TopicWatch.indexOf(VALUE, TopicWatch.field("batch_id", "bench"), 0)).isEqualTo(-1);
    }

    @Test
    void readsATextField() {
        assertThat(TopicWatch.text(VALUE, "ingested_at")).isEqualTo("2026-11-25T16:47:53.250116Z");
        assertThat(TopicWatch.text(VALUE, "source")).isEqualTo("offline");
    }

    @Test
    void aMissingFieldIsAnErrorThatShowsTheValue() {
        assertThatThrownBy(() -> TopicWatch.text("{\"id\":\"u-1\"}".getBytes(StandardCharsets.UTF_8), "ingested_at"))
                .hasMessageContaining("no text field ingested_at").hasMessageContaining("u-1");
    }

    @Test
    void indexOfHandlesEdges() {
        byte[] hay = "abcabd".getBytes(StandardCharsets.UTF_8);
        assertThat(TopicWatch.indexOf(hay, "abd".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(3);
        assertThat(TopicWatch.indexOf(hay, "abcabdx".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(-1);
        assertThat(TopicWatch.indexOf(hay, "abc".getBytes(StandardCharsets.UTF_8), 1)).isEqualTo(-1);
    }
}
