package dev.userpipeline.services.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresRunnerTest {

    @Test
    void everyLoginNeedsAPasswordAndOnlyLoopbackIsAllowedByDefault() {
        String hba = PostgresRunner.clientAuthentication(List.of());
        assertThat(hba).doesNotContain("trust").contains("local all all scram-sha-256")
                .contains("host all all 127.0.0.1/32 scram-sha-256").contains("host replication all ::1/128 scram-sha-256");
        assertThat(hba.lines().filter(line -> line.startsWith("host "))).hasSize(4);
    }

    @Test
    void aContainersServerLetsItsNetworkLogInWithAPassword() {
        String hba = PostgresRunner.clientAuthentication(List.of("0.0.0.0/0"));
        assertThat(hba).contains("host all all 0.0.0.0/0 scram-sha-256").contains("host replication all 0.0.0.0/0 scram-sha-256");
    }
}
