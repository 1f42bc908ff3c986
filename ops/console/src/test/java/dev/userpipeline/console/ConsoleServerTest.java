package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.StackSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's HTTP side: its pages, its JSON answers and what it refuses. */
class ConsoleServerTest {

    @TempDir
    Path logs;

    ConsoleServer console;
    final AtomicInteger looks = new AtomicInteger();
    final List<String> actions = new java.util.concurrent.CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(logs.resolve("kafka.log"), "one\ntwo\nthree\n", StandardCharsets.UTF_8);
        Settings settings = Settings.of(StackSettings.ALL).resolve();
        PipelineWatch watch = new PipelineWatch(() -> settings,
                s -> () -> {
                    looks.incrementAndGet();
                    return List.of(PipelineSnapshotTest.service("kafka", ServiceStatus.State.HEALTHY),
                            PipelineSnapshotTest.service("stream", ServiceStatus.State.STOPPED));
                },
                s -> new PipelineWatch.Counters() {
                    @Override
                    public List<FlowCounters.Counter> read() {
                        return List.of(FlowCounters.Counter.of("landed", "rows", 7));
                    }

                    @Override
                    public void close() {
                    }
                },
                Duration.ofMillis(100));
        console = new ConsoleServer(new InetSocketAddress("127.0.0.1", 0), watch, () -> List.of("kafka", "stream"),
                name -> logs.resolve(name + ".log"), List.of(), new StackQueries() {
                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode trace(String user) throws Exception {
                        if (user.equals("away")) {
                            throw new java.sql.SQLException("Connection to 127.0.0.1:5432 refused");
                        }
                        return new ObjectMapper().createObjectNode().put("asked", user).put("outcome", "never_landed");
                    }

                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode topics() {
                        throw new IllegalStateException("Timed out waiting for a node assignment");
                    }

                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode messages(String topic, Integer partition, int limit) {
                        throw new IllegalArgumentException("no topic " + topic);
                    }

                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode deadLetters() {
                        return new ObjectMapper().createObjectNode();
                    }

                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode connectors() {
                        return new ObjectMapper().createObjectNode();
                    }

                    @Override
                    public com.fasterxml.jackson.databind.node.ObjectNode airflowRuns() {
                        throw new IllegalStateException("Airflow is not part of this stack (airflow.enabled is false)");
                    }

                    @Override
                    public String act(String connector, String action) {
                        actions.add(action + " " + connector);
                        return action + " of " + connector + " accepted";
                    }
                });
    }

    @AfterEach
    void stop() {
        console.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return new ObjectMapper().readTree(response.body());
    }

    @Test
    void servesThePageAndItsFiles() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>user-pipeline console</title>", "/console.js", "/console.css");
        assertThat(get("/console.js").body()).contains("/api/status");
        assertThat(get("/console.css").statusCode()).isEqualTo(200);
    }

    @Test
    void statusIsTheLatestLookAsJson() throws Exception {
        HttpResponse<String> response = get("/api/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = json(response);
        assertThat(status.path("healthy").asBoolean()).as("the stream is stopped").isFalse();
        assertThat(status.path("services").findValuesAsText("name")).containsExactly("kafka", "stream");
        assertThat(status.path("stages").get(0).path("count").asLong()).isEqualTo(7);
        assertThat(looks.get()).isPositive();
    }

    @Test
    void statusGivesALookNoOlderThanAsked() throws Exception {
        JsonNode first = json(get("/api/status"));
        Thread.sleep(20);

        JsonNode fresh = json(get("/api/status?maxAgeMillis=0"));

        assertThat(java.time.Instant.parse(fresh.path("takenAt").asText())).isAfter(java.time.Instant.parse(first.path("takenAt").asText()));
        HttpResponse<String> wrong = get("/api/status?maxAgeMillis=soon");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).path("error").asText()).contains("maxAgeMillis must be a whole number from 0 to 3600000, not 'soon'");
    }

    @Test
    void metricsAreThePrometheusTextOfTheLatestLook() throws Exception {
        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body()).contains(
                "# TYPE pipeline_stage_records_total counter",
                "pipeline_stage_records_total{stage=\"landed\"} 7.0",
                "pipeline_service_up{service=\"kafka\"} 1.0",
                "pipeline_service_up{service=\"stream\"} 0.0",
                "# TYPE pipeline_stream_lag_records gauge",
                "jvm_memory_used_bytes");
    }

    @Test
    void traceAnswersTheTracersJsonOrWhyItCannot() throws Exception {
        JsonNode trace = json(get("/api/trace/someone%40example.com"));
        assertThat(trace.path("asked").asText()).isEqualTo("someone@example.com");
        assertThat(trace.path("outcome").asText()).isEqualTo("never_landed");

        HttpResponse<String> away = get("/api/trace/away");
        assertThat(away.statusCode()).isEqualTo(503);
        assertThat(json(away).path("error").asText()).contains("cannot trace away: Connection to 127.0.0.1:5432 refused", "pipeline status");
    }

    @Test
    void aConnectorIsActedOnOnlyByAPostCarryingThePagesToken() throws Exception {
        String token = json(get("/api/session")).path("csrfToken").asText();
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        URI restart = URI.create("http://127.0.0.1:" + console.port() + "/api/connect/users-created/restart");

        HttpResponse<String> withoutToken = http.send(HttpRequest.newBuilder(restart).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongToken = http.send(HttpRequest.newBuilder(restart).header("X-CSRF-Token", "guess")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> byGet = get("/api/connect/users-created/restart");
        assertThat(actions).isEmpty();

        HttpResponse<String> done = http.send(HttpRequest.newBuilder(restart).header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(json(withoutToken).path("error").asText()).contains("X-CSRF-Token");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(byGet.statusCode()).isEqualTo(405);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(actions).containsExactly("restart users-created");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port()
                + "/api/connect/users-created/delete")).header("X-CSRF-Token", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(400);
    }

    @Test
    void aTopicThatCannotBeReadSaysWhy() throws Exception {
        HttpResponse<String> away = get("/api/topics");
        HttpResponse<String> missing = get("/api/topics/nothing/messages?limit=5");
        HttpResponse<String> tooMany = get("/api/topics/users_created/messages?limit=100000");

        assertThat(away.statusCode()).isEqualTo(503);
        assertThat(json(away).path("error").asText()).contains("cannot read the topics: Timed out waiting for a node assignment");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").asText()).contains("no topic nothing");
        assertThat(tooMany.statusCode()).isEqualTo(400);
    }

    @Test
    void theChartsLibraryIsServedFromItsWebJar() throws Exception {
        HttpResponse<String> uplot = get("/vendor/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(get("/vendor/uPlot.min.css").statusCode()).isEqualTo(200);
        JsonNode history = json(get("/api/history?minutes=15"));
        assertThat(history.path("times").isArray()).isTrue();
    }

    @Test
    void healthAnswersWithoutLookingAtThePipeline() throws Exception {
        HttpResponse<String> response = get("/api/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void logsGiveTheLastLinesOfAServiceLog() throws Exception {
        JsonNode answer = json(get("/api/logs/kafka?lines=2"));

        assertThat(answer.path("service").asText()).isEqualTo("kafka");
        assertThat(answer.path("lines").toString()).isEqualTo("[\"two\",\"three\"]");
        assertThat(json(get("/api/logs/stream")).path("lines").size()).as("no log written yet").isZero();
    }

    @Test
    void refusesWhatItDoesNotServe() throws Exception {
        HttpResponse<String> unknown = get("/api/logs/..%2F..%2Fetc%2Fpasswd");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).contains("the services are kafka, stream");

        HttpResponse<String> badLines = get("/api/logs/kafka?lines=lots");
        assertThat(badLines.statusCode()).isEqualTo(400);
        assertThat(json(badLines).path("error").asText()).contains("lines must be a whole number from 1 to 5000, not 'lots'");

        assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/api/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void logLinesAreBounded() {
        assertThat(ConsoleServer.logLines(null)).isEqualTo(ConsoleServer.DEFAULT_LOG_LINES);
        assertThat(ConsoleServer.logLines("x=1&lines=50")).isEqualTo(50);
        assertThatThrownBy(() -> ConsoleServer.logLines("lines=0")).hasMessageContaining("from 1 to 5000, not 0");
        assertThatThrownBy(() -> ConsoleServer.logLines("lines=5001")).hasMessageContaining("not 5001");
    }

    /** One request over a plain socket, whose Host header the test chooses; the status line and body back. */
    String raw(String host, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", console.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersOnlyTheHostNamesOfLoopbackAndThoseAllowed() throws Exception {
        assertThat(raw("127.0.0.1:" + console.port(), "/api/health")).startsWith("HTTP/1.1 200");
        assertThat(raw("localhost:" + console.port(), "/api/status")).startsWith("HTTP/1.1 200");
        assertThat(raw("[::1]:" + console.port(), "/")).startsWith("HTTP/1.1 200");
        String evil = raw("evil.example", "/api/logs/kafka");
        assertThat(evil).startsWith("HTTP/1.1 421").contains("does not answer to the host name 'evil.example'", "PIPELINE_CONSOLE_ALLOWED_HOSTS")
                .doesNotContain("three");
        assertThat(raw("evil.example:" + console.port(), "/api/health")).startsWith("HTTP/1.1 421");
        assertThat(raw("127.0.0.1.evil.example", "/")).startsWith("HTTP/1.1 421");

        HostCheck allowed = new HostCheck("0.0.0.0", List.of("console"));
        assertThat(allowed.allows("console:9021")).isTrue();
        assertThat(allowed.allows("Console")).isTrue();
        assertThat(allowed.allows("0.0.0.0:9021")).isFalse();
        assertThat(allowed.allows("localhost:x")).isFalse();
        assertThat(allowed.allows("[::1]:9021")).isTrue();
        assertThat(allowed.allows("[fe80::1]:9021")).isFalse();
    }

    @Test
    void twentyConnectionsHoldingUnfinishedRequestsLeaveTheHealthCheckAnswering() throws Exception {
        List<java.net.Socket> holders = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", console.port());
                // Headers begun and never ended: the server waits for the rest on one of its threads.
                socket.getOutputStream().write("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                holders.add(socket);
            }
            Thread.sleep(300);
            long begin = System.nanoTime();
            String health = raw("127.0.0.1", "/api/health");
            System.out.printf("/api/health with 20 unfinished requests held: %d ms%n", (System.nanoTime() - begin) / 1_000_000);
            assertThat(health).startsWith("HTTP/1.1 200").contains("\"ok\"");
            assertThat(raw("127.0.0.1", "/")).startsWith("HTTP/1.1 200");
        } finally {
            for (java.net.Socket socket : holders) {
                socket.close();
            }
        }
    }
}
