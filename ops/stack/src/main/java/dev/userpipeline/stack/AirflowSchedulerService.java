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

    AirflowSchedulerService(Settings settings, Path home, Path root, AirflowInstallation installation,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(settings, home, root, installation, "scheduler", airflowOff);
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "task log server", "0.0.0.0", settings.get(AirflowSettings.LOG_SERVER_PORT),
                AirflowSettings.LOG_SERVER_PORT));
    }

    @Override
    public String address() {
        return "LocalExecutor x" + settings.get(AirflowSettings.PARALLELISM);
    }

    @Override
    public String check() throws Exception {
        requireHealthy("scheduler");
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

    private static String ago(Instant then) {
        long seconds = Math.max(0, Duration.between(then, Instant.now()).toSeconds());
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }
}
