package dev.userpipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka Connect cluster through its REST API: each connector with its type, state, worker and tasks (their
 * state and the first line of a failed one's error), and the actions an operator takes on a stuck one: pause,
 * resume, restart (the connector and its tasks).
 */
final class ConnectCluster {

    /** What may be asked of a connector, and the request of Connect's REST API that does it. */
    static final Set<String> ACTIONS = Set.of("pause", "resume", "restart");
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: Connect's Jetty answers an h2c upgrade request, but a plain request is all it needs.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final URI connect;

    /** {@code connect} the worker's REST address, e.g. {@code http://127.0.0.1:8083/}. */
    ConnectCluster(URI connect) {
        this.connect = connect;
    }

    ObjectNode connectors() throws Exception {
        JsonNode all = get("connectors?expand=status&expand=info");
        ObjectNode root = JSON.createObjectNode().put("worker", connect.toString());
        ArrayNode list = root.putArray("connectors");
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode status = entry.getValue().path("status");
            JsonNode info = entry.getValue().path("info");
            ObjectNode connector = list.addObject().put("name", entry.getKey())
                    .put("type", status.path("type").asText(info.path("type").asText()))
                    .put("class", info.path("config").path("connector.class").asText())
                    .put("state", status.path("connector").path("state").asText())
                    .put("workerId", status.path("connector").path("worker_id").asText());
            putError(connector, status.path("connector").path("trace"));
            ArrayNode tasks = connector.putArray("tasks");
            for (JsonNode task : status.path("tasks")) {
                ObjectNode t = tasks.addObject().put("id", task.path("id").asInt()).put("state", task.path("state").asText())
                        .put("workerId", task.path("worker_id").asText());
                putError(t, task.path("trace"));
            }
        }
        return root;
    }

    /**
     * Pauses, resumes or restarts a connector (a restart takes its tasks with it).
     *
     * @throws IllegalArgumentException for an action not in {@link #ACTIONS}
     * @throws IllegalStateException with Connect's own answer when it refuses
     */
    String act(String connector, String action) throws Exception {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("no action '" + action + "'; a connector can be " + String.join(", ", ACTIONS.stream().sorted().toList()) + "d");
        }
        String name = URLEncoder.encode(connector, StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest.Builder request = switch (action) {
            case "pause" -> HttpRequest.newBuilder(connect.resolve("connectors/" + name + "/pause")).PUT(HttpRequest.BodyPublishers.noBody());
            case "resume" -> HttpRequest.newBuilder(connect.resolve("connectors/" + name + "/resume")).PUT(HttpRequest.BodyPublishers.noBody());
            default -> HttpRequest.newBuilder(connect.resolve("connectors/" + name + "/restart?includeTasks=true&onlyFailed=false"))
                    .POST(HttpRequest.BodyPublishers.noBody());
        };
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String message = response.body();
            try {
                message = JSON.readTree(response.body()).path("message").asText(message);
            } catch (Exception notJson) {
                // Connect's answer as it came.
            }
            throw new IllegalStateException("Connect refused to " + action + " " + connector + " (HTTP " + response.statusCode() + "): " + message);
        }
        return action + " of " + connector + " accepted by Connect (HTTP " + response.statusCode() + ")";
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(connect.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + connect.resolve(path) + " gave HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static void putError(ObjectNode node, JsonNode trace) {
        if (trace.isMissingNode() || trace.isNull() || trace.asText().isEmpty()) {
            node.putNull("error");
        } else {
            node.put("error", trace.asText().lines().findFirst().orElse(""));
        }
    }
}
