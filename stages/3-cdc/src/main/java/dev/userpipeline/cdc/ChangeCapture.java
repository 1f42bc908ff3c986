package dev.userpipeline.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The operation of change data capture on a running Connect cluster: the topics it writes, the connector's
 * registration (idempotent, from {@code connector/users-created.json}) and its state.
 */
public final class ChangeCapture {

    /** Where the connector's JSON is kept, relative to the checkout's root. */
    public static final String CONNECTOR_FILE = "stages/3-cdc/connector/" + CdcContract.CONNECTOR + ".json";

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: Connect's Jetty answers an h2c upgrade request, but a plain request is all it needs.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final URI connect;
    private final String bootstrap;

    /** {@code connect} the worker's REST address, {@code bootstrap} Kafka's ({@code host:port,...}). */
    public ChangeCapture(URI connect, String bootstrap) {
        this.connect = connect;
        this.bootstrap = bootstrap;
    }

    /**
     * Creates {@link CdcContract#TOPIC} (its partitions, 7 days) and the heartbeat topic if missing, each
     * replicated on as many brokers as there are, up to three.
     */
    public void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000))) {
            short replicas = (short) Math.min(3, admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size());
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            if (!existing.contains(CdcContract.TOPIC)) {
                admin.createTopics(List.of(new NewTopic(CdcContract.TOPIC, CdcContract.PARTITIONS, replicas).configs(Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
                        "cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);
            }
            if (!existing.contains(CdcContract.HEARTBEAT_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(CdcContract.HEARTBEAT_TOPIC, 1, replicas).configs(Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(1).toMillis()))))).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Registers the connector with the configuration in {@code connectorFile} (PUT: the same call again
     * changes nothing), then restarts a task that failed while a service it needs was away.
     */
    public void register(Path connectorFile) throws Exception {
        JsonNode connector = JSON.readTree(Files.readString(connectorFile));
        HttpResponse<String> put = HTTP.send(request("/connectors/" + CdcContract.CONNECTOR + "/config", Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(connector.path("config"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200 && put.statusCode() != 201) {
            throw new IllegalStateException("registering connector " + CdcContract.CONNECTOR + " gave HTTP " + put.statusCode() + ": " + put.body());
        }
        HTTP.send(request("/connectors/" + CdcContract.CONNECTOR + "/restart?includeTasks=true&onlyFailed=true", Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Stops the connector: unlike a paused task, a stopped one decodes nothing meanwhile, so the changes wait
     * in the slot (a benchmark measures CDC alone this way). {@link #resume()} goes on from the slot.
     */
    public void stop() throws Exception {
        lifecycle("stop");
    }

    public void resume() throws Exception {
        lifecycle("resume");
    }

    private void lifecycle(String action) throws Exception {
        String path = "/connectors/" + CdcContract.CONNECTOR + "/" + action;
        HttpResponse<String> response = HTTP.send(request(path, Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(action + " of connector " + CdcContract.CONNECTOR + " at " + connect.resolve(path) + " gave HTTP "
                    + response.statusCode() + ": " + response.body() + " (is Connect up? `./pipeline status`)");
        }
    }

    /** The worker's version, from its REST root. */
    public String workerVersion() throws Exception {
        return JSON.readTree(get("/")).path("version").asText();
    }

    /**
     * The connector and its tasks, e.g. {@code users-created RUNNING (1 task)}.
     *
     * @throws IllegalStateException naming what does not run, with the first line of its error
     */
    public String connectorState() throws Exception {
        JsonNode status = JSON.readTree(get("/connectors/" + CdcContract.CONNECTOR + "/status"));
        String connectorState = status.path("connector").path("state").asText();
        if (!connectorState.equals("RUNNING")) {
            throw new IllegalStateException("connector " + CdcContract.CONNECTOR + " is " + connectorState + firstLine(status.path("connector").path("trace")));
        }
        JsonNode tasks = status.path("tasks");
        if (tasks.isEmpty()) {
            throw new IllegalStateException("connector " + CdcContract.CONNECTOR + " has no task yet");
        }
        for (JsonNode task : tasks) {
            if (!task.path("state").asText().equals("RUNNING")) {
                throw new IllegalStateException("task " + task.path("id").asText() + " of " + CdcContract.CONNECTOR + " is "
                        + task.path("state").asText() + firstLine(task.path("trace")));
            }
        }
        return CdcContract.CONNECTOR + " RUNNING (" + tasks.size() + " task" + (tasks.size() == 1 ? "" : "s") + ")";
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(connect.resolve(path)).timeout(timeout);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path, Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " gave HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String firstLine(JsonNode trace) {
        if (trace.isMissingNode() || trace.isNull()) {
            return "";
        }
        String text = trace.asText();
        return ": " + (text.contains("\n") ? text.substring(0, text.indexOf('\n')) : text);
    }
}
