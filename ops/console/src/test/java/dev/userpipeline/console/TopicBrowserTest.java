package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dead letters are grouped by what their reason says, not by the values it names. */
class TopicBrowserTest {

    @Test
    void aReasonIsGroupedWithoutTheValuesItNames() {
        assertThat(TopicBrowser.kindOf("email is not an address: nobody-at-example.com")).isEqualTo("email is not an address");
        assertThat(TopicBrowser.kindOf("payload login.uuid (baf98754-c25e-4492-b21c-efa5869d671d) differs from the row id"))
                .isEqualTo("payload login.uuid differs from the row id");
        assertThat(TopicBrowser.kindOf("name.first is missing")).isEqualTo("name.first is missing");
    }
}
