package dev.userpipeline.cli;

import dev.userpipeline.cdc.ChangeCapture;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.LandingSchema;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stack.RepoRoot;
import dev.userpipeline.stack.StackException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pipeline setup}: what {@code up} does once its services answer, for services it did not start
 * (containers, a cluster): the landing table's schema, the change topics and the Debezium connector.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {
            "Prepares services that run elsewhere (containers, a cluster) for the pipeline: migrates the landing table "
                    + "in PostgreSQL, creates the change topics in Kafka and registers the Debezium connector on Connect.",
            "Every step is idempotent; each waits for its service up to --timeout. `up` does the same for its own services."
        })
final class SetupCommand implements Callable<Integer> {

    private static final Duration RETRY = Duration.ofSeconds(3);

    @Mixin
    StackOptions options;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Seconds each step waits for its service to answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private interface Step {
        void run() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = options.settings();
        String connect = "http://" + settings.get(ConnectSettings.HOST) + ":" + settings.get(ConnectSettings.PORT);
        ChangeCapture capture = new ChangeCapture(URI.create(connect + "/"), settings.get(ServiceAddresses.KAFKA));
        String jdbcUrl = PostgresSettings.jdbcUrl(settings);
        step(out, "landing table in " + jdbcUrl, () -> LandingSchema.migrate(jdbcUrl,
                settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD)));
        step(out, "change topics on " + settings.get(ServiceAddresses.KAFKA), capture::createTopics);
        step(out, "Connect worker at " + connect, capture::workerVersion);
        step(out, "connector on " + connect, () -> capture.register(RepoRoot.find().resolve(ChangeCapture.CONNECTOR_FILE)));
        String[] state = new String[1];
        step(out, "connector running", () -> {
            state[0] = capture.connectorState();
            if (!state[0].contains("RUNNING")) {
                throw new IllegalStateException("the connector is " + state[0]);
            }
        });
        out.println("setup done: " + state[0]);
        return 0;
    }

    /** Runs a step until it succeeds or its time is up; the last error then says why. */
    private void step(PrintWriter out, String what, Step step) throws Exception {
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        Instant began = Instant.now();
        while (true) {
            try {
                step.run();
                out.printf("  ok  %s (%.1f s)%n", what, Duration.between(began, Instant.now()).toMillis() / 1000.0);
                out.flush();
                return;
            } catch (Exception e) {
                if (Instant.now().plus(RETRY).isAfter(deadline)) {
                    throw new StackException("Setting up the " + what + " failed after " + timeoutSeconds + " s: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName())
                            + ". Is the service up and reachable from here? Raise the wait with --timeout.", e);
                }
                Thread.sleep(RETRY.toMillis());
            }
        }
    }
}
