package dev.userpipeline.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.delivery.CassandraPresence;
import dev.userpipeline.delivery.DeadLetters;
import dev.userpipeline.delivery.TopicTrace;
import dev.userpipeline.delivery.LandedBatch;
import dev.userpipeline.delivery.PipelineReconciliation;
import dev.userpipeline.delivery.Reconciliation;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.stack.StackException;
import dev.userpipeline.stream.StreamSettings;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline reconcile}: a batch in PostgreSQL and in Cassandra, compared by count and id checksum; or,
 * with {@code --all}, every user in every store it passes.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {
            "Compares one batch in PostgreSQL (" + LandingTable.NAME + ") with Cassandra (created_users) and the dead-letter "
                    + "topic: the number of users and a SHA-256 checksum of their sorted ids. A user the stream job rejected "
                    + "is accounted for by its dead letter, and counted with its reason.",
            "With --all, once ingestion has stopped and the stream has caught up: every landed user counted in the change "
                    + "topic (read committed: each exactly once), the dead-letter topic, created_users and the signups aggregate.",
            "Exit code 0 when all agree, " + AwaitDeliveryCommand.NOT_DELIVERED + " when not."
        })
final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--batch-id", paramLabel = "ID", description = "The batch, as ingest landed it.")
    String batchId;

    @Option(names = "--all", description = "Every user of the pipeline instead of one batch (reads every id of the change topic "
            + "and of created_users).")
    boolean all;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long reading a topic may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print the result as one JSON line (for schedulers).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = options.settings();
        if (all == (batchId != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give either --batch-id ID (one batch) or --all (every user).");
        }
        if (all) {
            return reconcileAll(settings, out, err);
        }
        LandedBatch batch;
        try {
            batch = BatchDelivery.landed(settings, batchId);
        } catch (SQLException e) {
            throw new StackException("Cannot read batch " + batchId + " from the landing table: " + e.getMessage()
                    + ". Is PostgreSQL up? `./pipeline status` shows it.", e);
        }
        if (batch.size() == 0) {
            throw new StackException("Batch " + batchId + " has no user in " + LandingTable.NAME + "; was it ingested under this id?");
        }
        Reconciliation result;
        try (CqlSession session = CassandraSessions.open(settings.get(ServiceAddresses.CASSANDRA),
                Duration.ofSeconds(30))) {
            DeadLetters deadLetters = new DeadLetters(new TopicTrace(settings.get(ServiceAddresses.KAFKA)),
                    settings.get(StreamSettings.DLQ_TOPIC), Duration.ofSeconds(timeoutSeconds));
            java.time.Instant since = batch.firstIngestedAt().minus(Duration.ofMinutes(2));
            result = Reconciliation.of(batch, new CassandraPresence(session, settings.get(StreamSettings.KEYSPACE)),
                    ids -> deadLetters.reasons(ids, since));
        } catch (RuntimeException e) {
            throw new StackException("Cannot read Cassandra or the dead-letter topic: " + e.getMessage()
                    + ". Are they up? `./pipeline status` shows them.", e);
        }
        if (!result.matches()) {
            err.println("error: " + result.summary());
            err.flush();
        }
        out.println(json ? result.json() : result.summary());
        return result.matches() ? 0 : AwaitDeliveryCommand.NOT_DELIVERED;
    }

    private int reconcileAll(Settings settings, PrintWriter out, PrintWriter err) {
        PipelineReconciliation result;
        try {
            result = PipelineReconciliation.read(settings, Duration.ofSeconds(timeoutSeconds));
        } catch (SQLException e) {
            throw new StackException("Cannot count the landing table: " + e.getMessage() + ". Is PostgreSQL up? `./pipeline status` shows it.", e);
        } catch (RuntimeException e) {
            throw new StackException("Cannot count every user: " + e.getMessage() + ". Are Kafka and Cassandra up? `./pipeline status` "
                    + "shows them.", e);
        }
        if (!result.matches()) {
            err.println("error: " + String.join("; ", result.problems()));
            err.flush();
        }
        out.println(json ? result.json() : result.summary());
        return result.matches() ? 0 : AwaitDeliveryCommand.NOT_DELIVERED;
    }
}
