package dev.userpipeline.cli;

import dev.userpipeline.clients.LogTail;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.Stack;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline up}: starts what is not running, waits until healthy, then watches until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
            "Starts the stack and watches it until Ctrl-C.",
            "",
            "Starts every service that is not running (PostgreSQL, Kafka, Cassandra, Kafka Connect, the Spark job, ...) "
                    + "in parallel where it can, waits until each "
                    + "answers its health check, then shows a live summary until Ctrl-C, which stops everything "
                    + "cleanly. Services already running are left as they are.",
            "",
            "A supervisor starts again any service that dies (after 1 s, then twice as long each time) and gives up on "
                    + "one that died 5 times within 10 minutes; `pipeline status` shows the restarts "
                    + "(--supervisor-enabled false leaves it out)."
        })
final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = {"-d", "--detach"}, description = "Return once everything is healthy and leave the services running.")
    boolean detach;

    @Option(names = "--no-ingest", description = "Start everything but ingest nothing by itself (continuous ingestion off, "
            + "Airflow's user_automation paused), so that a test or a benchmark controls every user that enters.")
    boolean noIngest;

    @Option(names = "--no-airflow", description = "Do not run Airflow (same as --airflow-enabled false); "
            + "continuous ingestion feeds the pipeline instead.")
    boolean noAirflow;

    @Option(names = "--spark-cluster", description = "Run the Spark job on a standalone master and worker "
            + "(master UI on :9090) instead of in local mode (same as --set spark.cluster=true).")
    boolean sparkCluster;

    @Option(names = "--refresh", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between live summary refreshes (default ${DEFAULT-VALUE}).")
    int refreshSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        if (noIngest) {
            options.set.put(dev.userpipeline.ingest.IngestSettings.RATE.key(), "0");
            options.set.put(AirflowSettings.DAG_PAUSED.key(), "true");
        }
        if (noAirflow) {
            options.set.put(AirflowSettings.ENABLED.key(), "false");
        }
        if (sparkCluster) {
            options.set.put(dev.userpipeline.services.spark.SparkSettings.CLUSTER.key(), "true");
        }
        Stack stack = options.stack();
        out.println("Work directory: " + stack.home());
        stack.airflowOff().ifPresent(reason -> out.println("Airflow: off, " + reason + "; "
                + (stack.service("ingest").map(stack::enabled).orElse(false) ? "continuous ingestion feeds the pipeline instead."
                        : "nothing ingests by itself.")));
        ProgressView progress = new ProgressView(out, terminal, stack.serviceNames());

        // Ctrl-C while starting, or while watching in the foreground, stops the stack cleanly.
        Thread stopOnExit = new Thread(() -> {
            out.println();
            out.println("Stopping the stack ...");
            out.flush();
            stack.down(false, new ProgressView(out, false, stack.serviceNames()));
            out.println("Stopped. Data is kept in " + stack.home() + "; `pipeline down --purge` deletes it.");
            out.flush();
        }, "stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);

        Instant begin = Instant.now();
        try {
            stack.up(progress);
        } catch (RuntimeException e) {
            // up has already stopped what it started; what ran before it stays running.
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            throw e;
        }
        progress.finish();
        out.printf(Locale.ROOT, "Stack up in %.1fs.%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        stack.service("console").filter(stack::enabled).ifPresent(console ->
                out.println("The pipeline console: " + console.address()));

        if (detach) {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            StatusTable.render(stack.status()).forEach(out::println);
            out.println("Logs: " + stack.home().resolve("logs") + "   Stop with: ./pipeline down");
            out.flush();
            return 0;
        }
        watch(stack, out, terminal);
        return 0;
    }

    /** The live summary: redrawn in place on a terminal, printed on change otherwise. */
    private void watch(Stack stack, PrintWriter out, boolean terminal) throws InterruptedException {
        out.println("Watching the stack; press Ctrl-C to stop it.");
        Map<String, ServiceStatus.State> previous = new HashMap<>();
        int drawn = 0;
        while (true) {
            List<ServiceStatus> statuses = stack.status();
            Map<String, ServiceStatus.State> states = new HashMap<>();
            statuses.forEach(s -> states.put(s.name(), s.state()));
            List<String> table = StatusTable.render(statuses);
            for (ServiceStatus s : statuses) {
                ServiceStatus.State before = previous.get(s.name());
                boolean down = s.state() == ServiceStatus.State.STOPPED || s.state() == ServiceStatus.State.FAILED;
                if (down && before != null && before != s.state()) {
                    reportDeath(stack, s.name(), out);
                    drawn = 0;
                }
            }
            String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            if (terminal) {
                if (drawn > 0) {
                    out.print("\u001b[" + drawn + "A\u001b[J");
                }
                out.println("Updated " + stamp + "  (Ctrl-C stops the stack)");
                table.forEach(out::println);
                drawn = table.size() + 1;
            } else if (!states.equals(previous)) {
                out.println(stamp + ":");
                table.forEach(out::println);
            }
            previous = states;
            out.flush();
            Thread.sleep(Duration.ofSeconds(Math.max(1, refreshSeconds)).toMillis());
        }
    }

    private static void reportDeath(Stack stack, String service, PrintWriter out) {
        String code = stack.exitCode(service).map(c -> " with exit code " + c).orElse("");
        out.println(service + " stopped unexpectedly" + code + ". Last lines of its log ("
                + stack.logFile(service) + "):");
        dev.userpipeline.clients.LogTail.lastLines(stack.logFile(service), 20).forEach(out::println);
        boolean supervised = stack.process("supervisor").isPresent();
        if (stack.restarts(service).givenUp()) {
            out.println("The supervisor " + stack.restarts(service).gaveUp() + ".");
        } else if (supervised && !service.equals("supervisor")) {
            out.println("The supervisor starts it again; `pipeline status` shows its restarts.");
        } else {
            out.println("Run `./pipeline up` in another terminal to start it again.");
        }
    }
}
