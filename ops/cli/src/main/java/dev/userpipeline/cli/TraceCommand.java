package dev.userpipeline.cli;

import dev.userpipeline.delivery.UserTrace;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline trace ID}: where one user is, and when it reached each stage. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {
            "Follows one user, by id or email, through every store it passes: its landing row in " + LandingTable.NAME
                    + " (fetched and landed times, batch), its change event in users_created (partition, offset, time), its row "
                    + "in Cassandra (write time) or its dead letter with the reason, with the time spent in each stage.",
            "A user ingest refused shows the quarantine's reason; an id never landed says so.",
            "Exit code 0 when the user was delivered or rejected with a reason, " + TraceCommand.NOT_THROUGH
                    + " when it is still on its way or was never landed."
        })
final class TraceCommand implements Callable<Integer> {

    static final int NOT_THROUGH = 3;

    @Mixin
    StackOptions options;

    @Parameters(paramLabel = "ID", description = "The user's id (login.uuid) or email.")
    String user;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long reading each topic may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print the trace as one JSON object (the console's /api/trace answers the same).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        UserTrace trace;
        try {
            trace = UserTrace.of(options.settings(), user, Duration.ofSeconds(timeoutSeconds));
        } catch (SQLException e) {
            throw new StackException("Cannot read the landing table: " + e.getMessage() + ". Is PostgreSQL up? `./pipeline status` shows it.", e);
        } catch (RuntimeException e) {
            throw new StackException("Cannot trace " + user + ": " + e.getMessage() + ". Are Kafka and Cassandra up? `./pipeline status` "
                    + "shows them.", e);
        }
        if (json) {
            out.println(trace.toJson());
        } else {
            trace.lines().forEach(out::println);
        }
        return trace.outcome() == UserTrace.Outcome.DELIVERED || trace.outcome() == UserTrace.Outcome.REJECTED ? 0 : NOT_THROUGH;
    }
}
