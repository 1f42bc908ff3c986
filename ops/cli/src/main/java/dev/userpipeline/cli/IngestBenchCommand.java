package dev.userpipeline.cli;

import dev.userpipeline.bench.IngestBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline bench ingest}: users/s of fetching alone and of fetching and landing, against a running stack. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {
            "Measures ingestion and change data capture: users/s fetched and landed, CDC events/s, CPU per event, latency.",
            "Ingestion: users/s fetched, and fetched and landed. Change data capture: events/s of a drain into the "
                    + "topic, the CPU each service spends per event, and commit-to-topic latency at a fixed rate.",
            "",
            "Runs against the stack that is up (`./pipeline up --detach --no-ingest` first, so that nothing else "
                    + "loads the machine); the Spark job is stopped while it runs and started again after. Each round "
                    + "uses a new seed, so every landed user is new. Prints a table and appends it to bench/results/ingest.md.",
            "`pipeline bench` measures the whole pipeline; `pipeline bench stream` the Spark job."
        })
final class IngestBenchCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "200000", description = "Users per round (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "Rounds of each measurement; the table shows each and the best (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--cdc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure change data capture into users_created: throughput, and commit-to-topic latency at --cdc-rate (default on).")
    boolean cdc;

    @Option(names = "--cdc-rate", paramLabel = "USERS_PER_S", defaultValue = "1000",
            description = "Fixed ingestion rate for the CDC latency measurement (default ${DEFAULT-VALUE}).")
    int cdcRate;

    @Option(names = "--cdc-seconds", paramLabel = "S", defaultValue = "20",
            description = "How long the fixed-rate measurement runs (default ${DEFAULT-VALUE}).")
    int cdcSeconds;

    @Option(names = "--no-record", description = "Print only; do not append to bench/results/ingest.md.")
    boolean noRecord;

    @Spec
    CommandSpec spec;

    /** The options parsed, the measuring is the bench module's. */
    @Override
    public Integer call() throws Exception {
        return new IngestBench(new IngestBench.Plan(count, rounds, cdc, cdcRate, cdcSeconds, noRecord),
                options.benchTarget(spec.commandLine().getOut())).run();
    }
}
