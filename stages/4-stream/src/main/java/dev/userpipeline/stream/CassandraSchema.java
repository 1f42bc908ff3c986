package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/** The keyspace and tables of {@code cql/spark_streams.cql}, created if missing. */
public final class CassandraSchema {

    static final String RESOURCE = "/cql/spark_streams.cql";
    /** Schema changes wait for agreement; right after Cassandra starts the first one can be slow. */
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private CassandraSchema() {
    }

    /** The statements of the CQL file for this keyspace and replication factor. */
    public static List<String> statements(String keyspace, int replicationFactor) {
        String cql;
        try (InputStream in = CassandraSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the job jar");
            }
            cql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : cql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip()
                        .replace("${keyspace}", keyspace)
                        .replace("${replication_factor}", Integer.toString(replicationFactor)));
            }
        }
        return statements;
    }

    /** Applies every statement through the connector's own session (its driver is the one on the classpath). */
    public static void apply(SparkConf conf, Settings settings) {
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        try (CqlSession session = CassandraConnector.apply(conf).openSession()) {
            for (String statement : statements(keyspace, settings.get(StreamSettings.REPLICATION_FACTOR))) {
                session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create keyspace " + keyspace + " in Cassandra at "
                    + settings.get(ServiceAddresses.CASSANDRA)
                    + ": " + e.getMessage() + ". Is Cassandra up (./pipeline status)? Its address is "
                    + ServiceAddresses.CASSANDRA.howToChange("HOST:PORT") + ".", e);
        }
    }
}
