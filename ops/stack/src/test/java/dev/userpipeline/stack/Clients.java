package dev.userpipeline.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.userpipeline.clients.CassandraSessions;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/** Real clients of the test stack, as a pipeline stage would connect. */
final class Clients {

    private Clients() {
    }

    static Connection postgres() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestStack.POSTGRES_PORT + "/pipeline",
                "pipeline", "pipeline");
    }

    static String kafka() {
        return "127.0.0.1:" + TestStack.KAFKA_PORT;
    }

    static CqlSession cassandra() {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", TestStack.CASSANDRA_PORT))
                .withLocalDatacenter(CassandraService.LOCAL_DC)
                .withConfigLoader(CassandraSessions.closingQuickly(DriverConfigLoader.programmaticBuilder()
                        // The first schema change after a start can be slow on a busy machine.
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30)))
                        .build())
                .build();
    }
}
