package dev.userpipeline.cli;

import dev.userpipeline.bench.PipelineBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline bench}: the whole pipeline measured the same way every time — end-to-end throughput,
 * fetch-to-Cassandra latency at fixed rates, each stage's ceiling alone, and what each service used.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {IngestBenchCommand.class, StreamBenchCommand.class},
        description = {
            "Measures the whole pipeline, fetch to Cassandra: (a) end to end, (b) latency at fixed rates, (c) each "
                    + "stage alone, (d) CPU and peak memory of every service.",
            "Runs against the stack that is up, or starts one; what ingests by itself is paused meanwhile. Writes "
                    + "bench/results/<date>.md, .csv, .json and -latency.svg (ops/bench/README.md explains each figure)."
        })
final class BenchCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "100000",
            description = "Users of the end-to-end run and of each stage's ceiling (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rates", paramLabel = "USERS_PER_S", split = ",", defaultValue = "100,1000,10000",
            description = "Fixed rates of the latency runs (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "15", description = "Length of each fixed-rate run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "600",
            description = "Longest wait for one measurement's users to reach Cassandra (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-record", description = "Print only; do not write bench/results/.")
    boolean noRecord;

    @Spec
    CommandSpec spec;

    /** The options parsed, the measuring is the bench module's. */
    @Override
    public Integer call() throws Exception {
        return new PipelineBench(new PipelineBench.Plan(count, rates, seconds, timeoutSeconds, noRecord),
                options.benchTarget(spec.commandLine().getOut())).run();
    }
}
