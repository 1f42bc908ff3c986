package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Airflow's scheduler, with the LocalExecutor's task runners; status tells how user_automation's runs went. */
final class AirflowSchedulerService extends AirflowProcessService {

    /** How long running tasks may take to finish on their own once the scheduler is told to stop. */
    private static final Duration TASKS_FINISH_WITHIN = Duration.ofSeconds(5);

    AirflowSchedulerService(Settings settings, Path home, Path root, AirflowInstallation installation,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(settings, home, root, installation, "scheduler", airflowOff);
    }

    @Override
    public List<PortUse> ports() {
        return List.of();
    }

    /**
     * Without its task log server: that server listens on every interface (Airflow gives it no address), and the
     * API server of this machine reads the task logs from the same disk.
     */
    @Override
    public List<String> command() {
        return List.of(installation().airflow().toString(), "scheduler", "--skip-serve-logs");
    }

    @Override
    public String address() {
        return "LocalExecutor x" + settings.get(AirflowSettings.PARALLELISM);
    }

    @Override
    public String check() throws Exception {
        requireHealthy("scheduler");
        if (settings.get(StackSettings.EXTERNAL)) {
            // Its DAG's runs need the admin's login, which is not kept here: the UI shows them.
            return "heartbeating";
        }
        JsonNode dag = api().dag(AirflowSettings.DAG_ID);
        if (dag == null) {
            return AirflowSettings.DAG_ID + " not parsed yet";
        }
        JsonNode runs = api().dagRuns(AirflowSettings.DAG_ID, 50).path("dag_runs");
        Map<String, Integer> states = new TreeMap<>();
        String lastSuccess = null;
        for (JsonNode run : runs) {
            states.merge(run.path("state").asText(), 1, Integer::sum);
            if (lastSuccess == null && run.path("state").asText().equals("success") && run.hasNonNull("end_date")) {
                lastSuccess = ago(Instant.parse(run.path("end_date").asText()));
            }
        }
        StringBuilder detail = new StringBuilder(AirflowSettings.DAG_ID)
                .append(dag.path("is_paused").asBoolean() ? " paused" : " active");
        detail.append(runs.isEmpty() ? ", no runs yet" : ", last " + runs.size() + " runs: " + states.toString().replaceAll("[{}]", ""));
        if (lastSuccess != null) {
            detail.append(", last success ").append(lastSuccess).append(" ago");
        }
        return detail.toString();
    }

    /**
     * On SIGTERM the scheduler's LocalExecutor sends each worker a stop and joins it, so it waits for every
     * running task, however long (a task awaiting delivery may wait minutes), and a second signal does not
     * help: the exit joins the workers again. So, once the scheduler has stopped taking work, the running
     * tasks (everything under the workers) are told to stop too. They fail as stopped, and their retry runs after
     * the next up; each task is idempotent, so nothing is landed or counted twice.
     */
    @Override
    public boolean stop(ProcessHandle process, Duration timeout) {
        List<ProcessHandle> children = process.children().toList();
        List<ProcessHandle> tasks = children.stream().flatMap(ProcessHandle::descendants).toList();
        Instant deadline = Instant.now().plus(timeout);
        process.destroy();
        if (!ProcessStopper.awaitExit(process, TASKS_FINISH_WITHIN.compareTo(timeout) < 0 ? TASKS_FINISH_WITHIN : timeout)) {
            // Not the scheduler again: a second SIGTERM interrupts its join of the workers, and its exit
            // then waits for them without end.
            tasks.forEach(ProcessHandle::destroy);
        }
        boolean killed = false;
        if (!ProcessStopper.awaitExit(process, Duration.between(Instant.now(), deadline))) {
            ProcessStopper.kill(process);
            killed = true;
        }
        stopLeftovers(children);
        return killed;
    }

    private static String ago(Instant then) {
        long seconds = Math.max(0, Duration.between(then, Instant.now()).toSeconds());
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }
}
