package dev.userpipeline.services.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Airflow's REST API ({@code /api/v2}), as the admin: a JWT from {@code POST /auth/token}, renewed
 * when the server stops accepting it.
 */
public final class AirflowApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1 only: uvicorn drops the body of a request that asks to upgrade to h2c.
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    public AirflowApi(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** {@code GET /api/v2/monitor/health}: the metadata database and each component's heartbeat; needs no login. */
    public JsonNode health() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/monitor/health")).GET());
        return body(response, "GET /api/v2/monitor/health");
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return authorized(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), "GET " + path);
    }

    /** The DAG as Airflow knows it, or null when it has not parsed it (yet). */
    public JsonNode dag(String dagId) throws IOException, InterruptedException {
        try {
            return get("/api/v2/dags/" + dagId);
        } catch (AirflowApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    public JsonNode setPaused(String dagId, boolean paused) throws IOException, InterruptedException {
        ObjectNode patch = JSON.createObjectNode().put("is_paused", paused);
        return authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/dags/" + dagId + "?update_mask=is_paused"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString())), "PATCH /api/v2/dags/" + dagId);
    }

    /** The newest runs of a DAG, newest first. */
    public JsonNode dagRuns(String dagId, int limit) throws IOException, InterruptedException {
        return get("/api/v2/dags/" + dagId + "/dagRuns?order_by=-run_after&limit=" + limit);
    }

    /** Import errors of the DAG files, e.g. a syntax error in user_automation.py. */
    public JsonNode importErrors() throws IOException, InterruptedException {
        return get("/api/v2/importErrors");
    }

    private JsonNode authorized(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = send(request.copy().header("Authorization", "Bearer " + token()));
            if (response.statusCode() == 401 && attempt == 0) {
                synchronized (this) {
                    token = null;
                }
                continue;
            }
            return body(response, what);
        }
    }

    private synchronized String token() throws IOException, InterruptedException {
        if (token == null) {
            ObjectNode login = JSON.createObjectNode().put("username", user).put("password", password);
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/auth/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(login.toString())));
            token = body(response, "POST /auth/token as " + user).path("access_token").asText();
        }
        return token;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response, String what) throws IOException {
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new AirflowApiException(response.statusCode(), what + " gave HTTP " + response.statusCode() + ": "
                    + (text.length() > 300 ? text.substring(0, 300) + " ..." : text));
        }
        return JSON.readTree(response.body());
    }

    /** An answer of the API other than 2xx. */
    public static final class AirflowApiException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        AirflowApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
