package dev.userpipeline.source;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server that answers each request with the next scripted answer: the ways the real
 * API and the networks in front of it misbehave, on demand.
 */
final class ScriptedApi implements AutoCloseable {

    /** One scripted answer; {@code hang} keeps the connection open without answering. */
    record Answer(int status, String contentType, Map<String, String> headers, byte[] body, boolean hang, boolean sentInChunks) {

        static Answer json(int status, String body) {
            return new Answer(status, "application/json; charset=utf-8", Map.of(), body.getBytes(StandardCharsets.UTF_8), false, false);
        }

        static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8), false, false);
        }

        static Answer hanging() {
            return new Answer(0, null, Map.of(), new byte[0], true, false);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, contentType, all, body, hang, sentInChunks);
        }

        /** Sent without a Content-Length, in chunks: its size is known only once it is read. */
        Answer chunked() {
            return new Answer(status, contentType, headers, body, hang, true);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    final List<URI> requests = new CopyOnWriteArrayList<>();
    /** Requests that asked to upgrade the connection (HTTP/2 over plain http): closed unanswered, as randomuser.me does. */
    final List<URI> upgradeRequests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    ScriptedApi(Answer... answers) throws IOException {
        script.addAll(List.of(answers));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/", exchange -> {
            if (exchange.getRequestHeaders().containsKey("Upgrade")) {
                upgradeRequests.add(exchange.getRequestURI());
                exchange.close();
                return;
            }
            requests.add(exchange.getRequestURI());
            Answer answer = script.poll();
            if (answer == null) {
                answer = Answer.json(500, "{\"error\":\"script exhausted\"}");
            }
            if (answer.hang()) {
                try {
                    closing.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.sentInChunks() ? 0 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
