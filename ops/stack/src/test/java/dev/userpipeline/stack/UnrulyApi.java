package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A randomuser-compatible API on loopback that answers as randomuser.me does when it is not pleased, and as a
 * broken API or a broken user would: it takes its users from the stack's offline source (same query, same users),
 * closes every connection that asks to upgrade to HTTP/2 without a byte, rations users per fixed window with a 429
 * that carries no Retry-After, and alters or fails the pages it is told to.
 */
final class UnrulyApi implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAGE = Pattern.compile("(?:^|&)page=(\\d+)");
    private static final Pattern RESULTS = Pattern.compile("(?:^|&)results=(\\d+)");

    private final HttpServer server;
    private final URI offline;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<Integer, UnaryOperator<ObjectNode>> alterations = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    /** Pages answered with users, in the order asked. */
    final List<Integer> pagesServed = new CopyOnWriteArrayList<>();
    final List<String> upgradeRequests = new CopyOnWriteArrayList<>();
    final List<Integer> rateLimited = new CopyOnWriteArrayList<>();
    private int allowance = Integer.MAX_VALUE;
    private Duration window = Duration.ofMinutes(5);
    private long windowStart = -1;
    private int servedInWindow;

    UnrulyApi(URI offline) throws IOException {
        this.offline = offline;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/", this::answer);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    /** At most {@code users} users per fixed window; past them, 429 without Retry-After until the window ends. */
    UnrulyApi rationed(int users, Duration per) {
        this.allowance = users;
        this.window = per;
        return this;
    }

    /** Changes the answer for this page (the parsed JSON, its {@code results} and {@code info}). */
    UnrulyApi alter(int page, UnaryOperator<ObjectNode> change) {
        alterations.put(page, change);
        return this;
    }

    /** Answers this page with an error status until {@link #heal}. */
    UnrulyApi fail(int page, int status) {
        failures.put(page, status);
        return this;
    }

    UnrulyApi heal() {
        failures.clear();
        return this;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestHeaders().containsKey("Upgrade")) {
                // randomuser.me's front closes a connection that asks for h2c, after a second without a byte.
                upgradeRequests.add(exchange.getRequestURI().getRawQuery());
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            int page = number(PAGE, query, 1);
            int results = number(RESULTS, query, 1);
            Integer failure = failures.get(page);
            if (failure != null) {
                send(exchange, failure, "{\"error\":\"page " + page + " is unavailable\"}");
                return;
            }
            if (!admit(results)) {
                rateLimited.add(page);
                send(exchange, 429, "{\"error\":\"Whoa, ease up there cowboy! Try again later.\"}");
                return;
            }
            HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(offline + "?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = users.body();
            UnaryOperator<ObjectNode> change = alterations.get(page);
            if (change != null) {
                body = JSON.writeValueAsString(change.apply((ObjectNode) JSON.readTree(body)));
            }
            pagesServed.add(page);
            send(exchange, users.statusCode(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean admit(int users) {
        long now = System.nanoTime();
        if (windowStart < 0 || now - windowStart >= window.toNanos()) {
            windowStart = now;
            servedInWindow = 0;
        }
        if (servedInWindow + users > allowance) {
            return false;
        }
        servedInWindow += users;
        return true;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int number(Pattern pattern, String query, int otherwise) {
        Matcher m = pattern.matcher(query == null ? "" : query);
        return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
    }

    // --- alterations ------------------------------------------------------------------------------------

    /** The answer's users. */
    static ArrayNode results(ObjectNode answer) {
        return (ArrayNode) answer.path("results");
    }

    /** Keeps the first {@code n} users and makes {@code info.results} say so: a short page, honestly announced. */
    static UnaryOperator<ObjectNode> only(int n) {
        return answer -> {
            ArrayNode users = results(answer);
            while (users.size() > n) {
                users.remove(users.size() - 1);
            }
            ((ObjectNode) answer.path("info")).put("results", n);
            return answer;
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
