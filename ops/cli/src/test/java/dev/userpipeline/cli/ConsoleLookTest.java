package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.StackSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** `status` takes the console's look when it answers with one, and looks itself otherwise. */
class ConsoleLookTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void theServicesOfTheConsolesAnswerAreTheLook() throws Exception {
        String answer = """
                {"takenAt":"2026-12-05T16:00:00Z","healthy":false,"services":[
                  {"name":"kafka","state":"healthy","pid":41,"address":"127.0.0.1:9092","detail":"Kafka 4.4.0","memoryBytes":1048576,
                   "cpuSeconds":1.5,"uptimeSeconds":60,"restarts":0,"restartsGivenUp":false,"supervision":""},
                  {"name":"stream","state":"failed","pid":null,"address":"local[2]","detail":"","memoryBytes":0,"cpuSeconds":0,
                   "uptimeSeconds":0,"restarts":5,"restartsGivenUp":true,"supervision":"supervisor gave up","gaveUp":"gave up"}],
                 "stages":[]}""";

        var looks = ConsoleLook.parse(json.readTree(answer)).orElseThrow();

        assertThat(looks).extracting(ServiceStatus::name).containsExactly("kafka", "stream");
        assertThat(looks.get(0).isHealthy()).isTrue();
        assertThat(looks.get(0).pid()).hasValue(41);
        assertThat(looks.get(1).state()).isEqualTo(ServiceStatus.State.FAILED);
        assertThat(StatusTable.restarts(looks.get(1))).isEqualTo("5, gave up");
    }

    @Test
    void anAnswerWithoutServicesIsNoLook() throws Exception {
        assertThat(ConsoleLook.parse(json.readTree("{\"error\":\"the console is stopping\"}"))).isEmpty();
    }

    @Test
    void noConsoleOnItsPortIsNoLook() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Settings settings = Settings.of(StackSettings.ALL).args("--console-port=" + port).resolve();

        assertThat(ConsoleLook.of(settings)).isEmpty();
        assertThat(ConsoleLook.of(Settings.of(StackSettings.ALL).args("--console-enabled=false").resolve())).isEmpty();
    }
}
