package dev.userpipeline.cli;

import dev.userpipeline.bench.StreamBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline bench stream}: the Spark job's rows/s into Cassandra, and per-row latency from the topic
 * (the Kafka record's timestamp) to Cassandra (the row's write time), at a fixed rate.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {
            "Measures the Spark job: rows/s into Cassandra, and topic-to-Cassandra latency at a fixed rate.",
            "",
            "Runs against the stack that is up with its job (`./pipeline up --detach --no-ingest` first). A burst of "
                    + "--count users is landed as fast as possible; rows/s is their number over the time from the first "
                    + "one's arrival in users_created to the last one's write in Cassandra. Then users are landed at "
                    + "--rate for --seconds, and each row's latency is its Cassandra write time minus its Kafka record "
                    + "time. Prints a table and appends it to bench/results/stream.md."
        })
final class StreamBenchCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100000", description = "Users in the burst (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rate", paramLabel = "USERS_PER_S", defaultValue = "1000", description = "Fixed rate of the latency run (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30", description = "Length of the latency run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "900", description = "Longest wait for the users to reach Cassandra (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-record", description = "Print only; do not append to bench/results/stream.md.")
    boolean noRecord;

    @Spec
    CommandSpec spec;

    /** The options parsed, the measuring is the bench module's. */
    @Override
    public Integer call() throws Exception {
        return new StreamBench(new StreamBench.Plan(count, rate, seconds, timeoutSeconds, noRecord),
                options.benchTarget(spec.commandLine().getOut())).run();
    }
}
