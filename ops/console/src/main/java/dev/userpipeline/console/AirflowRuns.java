package dev.userpipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.services.airflow.AirflowApi;
import dev.userpipeline.services.airflow.AirflowSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The latest runs of {@value AirflowSettings#DAG_ID} through Airflow's REST API: each run's state and times, and the
 * summary its reconcile task returned (users in PostgreSQL, in Cassandra, dead letters, whether the checksums match),
 * each linked to the run in Airflow's UI.
 */
final class AirflowRuns {

    static final int SHOWN = 10;
    /** The DAG's last task: its return value, kept by Airflow as the XCom {@code return_value}, is the batch's summary. */
    static final String RECONCILE_TASK = "reconcile";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AirflowApi api;
    private final String ui;

    AirflowRuns(AirflowApi api, String ui) {
        this.api = api;
        this.ui = ui;
    }

    ObjectNode latest(int limit) throws Exception {
        ObjectNode root = JSON.createObjectNode().put("dag", AirflowSettings.DAG_ID).put("ui", ui + "/dags/" + AirflowSettings.DAG_ID);
        ArrayNode list = root.putArray("runs");
        for (JsonNode run : api.dagRuns(AirflowSettings.DAG_ID, limit).path("dag_runs")) {
            String id = run.path("dag_run_id").asText();
            ObjectNode node = list.addObject().put("runId", id).put("state", run.path("state").asText())
                    .put("runAfter", run.path("run_after").asText(null)).put("start", run.path("start_date").asText(null))
                    .put("end", run.path("end_date").asText(null))
                    .put("url", ui + "/dags/" + AirflowSettings.DAG_ID + "/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            node.set("reconcile", run.path("state").asText().equals("success") ? summary(id) : JSON.nullNode());
        }
        return root;
    }

    /** What the run's reconcile task returned, or null when Airflow keeps none. */
    private JsonNode summary(String runId) {
        try {
            JsonNode entry = api.get("/api/v2/dags/" + AirflowSettings.DAG_ID + "/dagRuns/" + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                    .replace("+", "%20") + "/taskInstances/" + RECONCILE_TASK + "/xcomEntries/return_value");
            JsonNode value = entry.path("value");
            // Airflow gives a task's returned dict as JSON, or as its text when it was serialised as such.
            return value.isTextual() ? JSON.readTree(value.asText()) : value;
        } catch (Exception e) {
            return JSON.nullNode();
        }
    }
}
