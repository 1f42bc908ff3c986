package dev.userpipeline.clients;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Sessions of the launcher's own (checks, status, benchmarks) to the stack's Cassandra. */
public final class CassandraSessions {

    /** SimpleSnitch puts every node in this data centre. */
    public static final String LOCAL_DC = "datacenter1";

    private CassandraSessions() {
    }

    /**
     * A session to the nodes of {@code contactPoints} ({@code host:port,...}, the value of
     * {@code cassandra.contact.points}). Quick to open and to fail: no schema or token metadata, no retries
     * of the first connection.
     */
    public static CqlSession open(String contactPoints, Duration requestTimeout) {
        return open(contactPoints, requestTimeout, false);
    }

    /**
     * As {@link #open(String, Duration)}, with {@code topology} true also knowing the schema and which nodes own each
     * token, so that a writer can group rows by the replicas that store them.
     */
    public static CqlSession open(String contactPoints, Duration requestTimeout, boolean topology) {
        ProgrammaticDriverConfigLoaderBuilder options = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(2))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                // A read agrees with the writes (the job writes at LOCAL_QUORUM), on one node as on three.
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, topology)
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, topology);
        DriverConfigLoader config = closingQuickly(options).build();
        var builder = CqlSession.builder();
        for (String address : contactPoints.split(",")) {
            String host = address.substring(0, address.lastIndexOf(':'));
            builder.addContactPoint(new InetSocketAddress(host, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))));
        }
        return builder
                .withLocalDatacenter(LOCAL_DC)
                .withConfigLoader(config)
                .withApplicationName("pipeline-launcher")
                .build();
    }

    /**
     * Sessions built with these options close in about 0.1 s. Netty's default quiet period held every close for 2 s:
     * `pipeline status` spent 2.1 s of its 6 s closing the health check's session. None left the close's own
     * notifications without a thread (Netty logged a RejectedExecutionException); 100 ms lets them run. The unit
     * changes every shutdown value, so the timeout is given again (15 s, the driver's own).
     */
    public static ProgrammaticDriverConfigLoaderBuilder closingQuickly(ProgrammaticDriverConfigLoaderBuilder options) {
        return options
                .withString(DefaultDriverOption.NETTY_IO_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_TIMEOUT, 15_000)
                .withString(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_TIMEOUT, 15_000);
    }
}
