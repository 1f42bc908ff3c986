package dev.userpipeline.cli;

import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.delivery.DeliveryReport;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.stack.StackException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline await-delivery}: waits until a landed batch can be read in Cassandra. */
@Command(name = "await-delivery", mixinStandardHelpOptions = true,
        description = {
            "Waits until every user of a landed batch can be read in Cassandra.",
            "",
            "The batch is what `pipeline ingest --batch-id ID` landed in " + LandingTable.NAME + ". When the users do not all "
                    + "arrive within the timeout, the missing ones are followed back through the pipeline (the dead-letter "
                    + "topic, the CDC topic) and the stage where they are stuck is named: cdc, stream or rejected.",
            "Exit code 0 when delivered, " + AwaitDeliveryCommand.NOT_DELIVERED + " when not."
        })
final class AwaitDeliveryCommand implements Callable<Integer> {

    /** Exit code of a batch that is not (wholly) where it should be. */
    static final int NOT_DELIVERED = 4;

    @Mixin
    StackOptions options;

    @Option(names = "--batch-id", required = true, paramLabel = "ID", description = "The batch, as ingest landed it.")
    String batchId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Seconds to wait before naming the stalled stage (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print the summary as one JSON line (for schedulers).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second.");
        }
        Settings settings = options.settings();
        DeliveryReport report;
        try {
            report = new BatchDelivery(settings, options.stack()).await(batchId, Duration.ofSeconds(timeoutSeconds), line -> {
                err.println(line);
                err.flush();
            });
        } catch (SQLException e) {
            throw new StackException("Cannot read batch " + batchId + " from the landing table: " + e.getMessage()
                    + ". Is PostgreSQL up? `./pipeline status` shows it.", e);
        }
        if (!report.complete()) {
            err.println("error: " + report.summary());
            err.flush();
        }
        out.println(json ? report.json() : report.summary());
        return report.complete() ? 0 : NOT_DELIVERED;
    }
}
