package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Airflow's DAG processor: parses {@code airflow/dags}. Once it has parsed {@code user_automation},
 * the DAG is paused or unpaused as the stack was started ({@code up --no-ingest} keeps it paused),
 * every {@code up}, so that a stack never ingests what its starter did not ask for.
 */
final class AirflowDagProcessorService extends AirflowProcessService {

    AirflowDagProcessorService(Settings settings, Path home, Path root, AirflowInstallation installation,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(settings, home, root, installation, "dag-processor", airflowOff);
    }

    @Override
    public List<PortUse> ports() {
        return List.of();
    }

    @Override
    public String address() {
        return root.resolve("airflow/dags").toString();
    }

    @Override
    public void bootstrap() throws Exception {
        requireParsed();
        boolean paused = settings.get(AirflowSettings.DAG_PAUSED);
        api().setPaused(AirflowSettings.DAG_ID, paused);
    }

    @Override
    public String check() throws Exception {
        requireHealthy("dag_processor");
        if (settings.get(StackSettings.EXTERNAL)) {
            // Its DAG's runs need the admin's login, which is not kept here: the UI shows them.
            return "heartbeating";
        }
        JsonNode dag = requireParsed();
        return AirflowSettings.DAG_ID + (dag.path("is_paused").asBoolean() ? " paused" : " active")
                + ", parsed " + dag.path("last_parsed_time").asText();
    }

    private JsonNode requireParsed() throws Exception {
        for (JsonNode error : api().importErrors().path("import_errors")) {
            if (error.path("filename").asText().endsWith(AirflowSettings.DAG_ID + ".py")) {
                String trace = error.path("stack_trace").asText().strip();
                String last = trace.lines().reduce((a, b) -> b).orElse(trace);
                throw new IllegalStateException(AirflowSettings.DAG_ID + ".py does not import: " + last);
            }
        }
        JsonNode dag = api().dag(AirflowSettings.DAG_ID);
        if (dag == null) {
            throw new IllegalStateException(AirflowSettings.DAG_ID + " is not parsed yet");
        }
        return dag;
    }
}
