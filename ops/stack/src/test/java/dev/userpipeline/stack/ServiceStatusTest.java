package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A look at a service survives its JSON, the way `status` reads it back from the console. */
class ServiceStatusTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aLookReadBackFromItsJsonIsTheSameLook() throws Exception {
        Restarts restarts = new Restarts(2, List.of(Instant.parse("2026-12-05T10:00:00Z"), Instant.parse("2026-12-05T10:01:00Z")),
                "died at 10:01 (exit code 137)", "");
        ServiceStatus look = new ServiceStatus("connect", ServiceStatus.State.HEALTHY, OptionalLong.of(4242), "http://127.0.0.1:8083",
                "Connect 4.4.0, users-created RUNNING", 400L << 20, Duration.ofMillis(12_300), Duration.ofSeconds(95), restarts);

        ServiceStatus read = ServiceStatus.readFrom(json.readTree(json.writeValueAsString(look.writeTo(json.createObjectNode()))));

        assertThat(read).isEqualTo(look);
    }

    @Test
    void aServiceWithoutProcessNorRestartsReadsBackSo() throws Exception {
        ServiceStatus off = new ServiceStatus("spark-master", ServiceStatus.State.OFF, OptionalLong.empty(), "spark://127.0.0.1:7077", "",
                0, Duration.ZERO, Duration.ZERO);
        ServiceStatus gaveUp = new ServiceStatus("stream", ServiceStatus.State.FAILED, OptionalLong.empty(), "local[2]", "",
                0, Duration.ZERO, Duration.ZERO, new Restarts(5, List.of(), "", "gave up after 5 restarts within 10 min"));

        for (ServiceStatus look : List.of(off, gaveUp)) {
            assertThat(ServiceStatus.readFrom(look.writeTo(json.createObjectNode()))).isEqualTo(look);
        }
    }
}
