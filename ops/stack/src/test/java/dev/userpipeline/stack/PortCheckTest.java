package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aTakenPortIsRefusedNamingThePortItsHolderAndTheOverride() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(PortCheck.isFree("127.0.0.1", port)).isFalse();
            List<PortUse> uses = List.of(new PortUse("kafka", "broker", "127.0.0.1", port, KafkaSettings.PORT));

            assertThatThrownBy(() -> PortCheck.requireFree(uses))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + port + " on 127.0.0.1 (kafka broker) is already in use")
                    .hasMessageContaining("held by pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--kafka-port PORT or PIPELINE_KAFKA_PORT=PORT");
        }
    }

    @Test
    void aPortThatAnOutgoingConnectionHoldsIsRefusedNamingTheConnectionAndTheEphemeralRange() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Socket client = new Socket("127.0.0.1", server.getLocalPort());
                Socket accepted = server.accept()) {
            int port = client.getLocalPort(); // given by the kernel from its ephemeral range
            assertThat(PortCheck.isFree("127.0.0.1", port)).as("a live connection's local port cannot be listened on").isFalse();
            List<PortUse> uses = List.of(new PortUse("cassandra", "native transport", "127.0.0.1", port, CassandraSettings.PORT));

            assertThatThrownBy(() -> PortCheck.requireFree(uses))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("held by pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("as the local end of an outgoing connection")
                    .hasMessageContaining("ephemeral range")
                    .hasMessageContaining("--cassandra-port PORT or PIPELINE_CASSANDRA_PORT=PORT");
        }
    }

    @Test
    void aFreePortPasses() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        assertThat(PortCheck.isFree("127.0.0.1", port)).isTrue();
        PortCheck.requireFree(List.of(new PortUse("kafka", "broker", "127.0.0.1", port, KafkaSettings.PORT)));
        assertThat(PortCheck.holderOf(port)).isEmpty();
    }

    @Test
    void aPortGivenToTwoListenersIsRefusedBeforeEitherStarts() {
        List<PortUse> uses = List.of(
                new PortUse("kafka", "broker", "127.0.0.1", 29999, KafkaSettings.PORT),
                new PortUse("kafka", "controller", "127.0.0.1", 29999, KafkaSettings.CONTROLLER_PORT));
        assertThatThrownBy(() -> PortCheck.requireFree(uses))
                .isInstanceOf(PortInUseException.class)
                .hasMessageContaining("Port 29999 is configured twice")
                .hasMessageContaining("kafka.port")
                .hasMessageContaining("kafka.controller.port")
                .hasMessageContaining("--kafka-controller-port PORT or PIPELINE_KAFKA_CONTROLLER_PORT=PORT");
    }
}
