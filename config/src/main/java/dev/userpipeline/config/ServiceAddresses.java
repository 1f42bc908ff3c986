package dev.userpipeline.config;

import java.util.List;

/**
 * Where the pipeline's clients reach its shared services: one key per service, a list of addresses, so
 * that every process (Connect, the Spark job, the console, delivery, bench) points at an external cluster
 * by one variable, e.g. {@code PIPELINE_KAFKA_BOOTSTRAP_SERVERS=k1:9092,k2:9092,k3:9092}. The embedded
 * stack derives them from the ports its own processes listen on.
 */
public final class ServiceAddresses {

    public static final Setting<String> KAFKA = Setting.addresses("kafka.bootstrap.servers", "127.0.0.1:9092",
            "Kafka brokers the pipeline's clients connect to, host:port,... (the embedded stack: kafka.host:kafka.port)");
    public static final Setting<String> CASSANDRA = Setting.addresses("cassandra.contact.points", "127.0.0.1:9042",
            "Cassandra nodes the pipeline's clients connect to, host:port,... (the embedded stack: cassandra.host:cassandra.port)");

    public static final List<Setting<?>> ALL = List.of(KAFKA, CASSANDRA);

    private ServiceAddresses() {
    }

    /** The hosts of an address list, e.g. for a client that takes hosts and one port apart. */
    public static List<String> hosts(String addresses) {
        return List.of(addresses.split(",")).stream().map(a -> a.substring(0, a.lastIndexOf(':'))).toList();
    }

    /** The port of the first address of a list. */
    public static int firstPort(String addresses) {
        String first = addresses.split(",")[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }
}
