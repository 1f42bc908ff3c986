package dev.userpipeline.offline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP server answering the randomuser.me API 1.4 contract at {@code /api/}: the same parameters
 * ({@code results}, {@code seed}, {@code page}, {@code nat}, {@code gender}, {@code inc}, {@code exc},
 * {@code noinfo}, {@code format}), the same shape, the same leniency (out-of-range values are clamped,
 * unknown nationalities ignored), and the same determinism per seed and page.
 */
public final class OfflineSourceServer implements AutoCloseable {

    private static final int MAX_RESULTS = 5_000;
    private static final Set<String> SECTIONS = Set.of("gender", "name", "location", "email", "login", "registered",
            "dob", "phone", "cell", "id", "picture", "nat");

    private final HttpServer server;
    private final ExecutorService executor;
    private final OfflineUsers users;

    public OfflineSourceServer(String host, int port, int threads) throws IOException {
        this.users = new OfflineUsers(new NamePools());
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/api", this::handle);
        server.createContext("/", exchange -> send(exchange, 404, "{\"error\":\"Not found: the API is at /api/\"}"));
    }

    public OfflineSourceServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "{\"error\":\"Only GET is supported\"}");
                return;
            }
            Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
            String format = params.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
            if (!format.equals("json") && !format.equals("pretty") && !format.equals("prettyjson")) {
                send(exchange, 400, "{\"error\":\"The offline source answers format=json only, not " + format + "\"}");
                return;
            }
            byte[] body = users.answer(request(params));
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"Uh oh, something has gone wrong.\"}");
        }
    }

    /** Reads the parameters as the real API does: leniently, clamping what is out of range. */
    static OfflineUsers.Request request(Map<String, String> params) {
        int results = intParam(params.get("results"), 1);
        if (results < 1 || results > MAX_RESULTS) {
            results = 1;
        }
        int page = Math.max(1, intParam(params.get("page"), 1));
        String seed = params.get("seed");
        if (seed == null || seed.isEmpty()) {
            seed = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        }
        List<Nationality> nats = new ArrayList<>();
        for (String nat : params.getOrDefault("nat", "").split(",")) {
            try {
                Nationality n = Nationality.valueOf(nat.trim().toUpperCase(Locale.ROOT));
                if (!nats.contains(n)) {
                    nats.add(n);
                }
            } catch (IllegalArgumentException unknown) {
                // The real API ignores nationalities it does not know.
            }
        }
        String gender = params.get("gender");
        if (gender != null && !gender.equals("male") && !gender.equals("female")) {
            gender = null;
        }
        Set<String> fields = new HashSet<>(SECTIONS);
        if (params.containsKey("inc")) {
            fields.retainAll(fieldList(params.get("inc")));
        }
        if (params.containsKey("exc")) {
            fields.removeAll(fieldList(params.get("exc")));
        }
        return new OfflineUsers.Request(results, seed, page, nats, gender, fields, params.containsKey("noinfo"));
    }

    private static Set<String> fieldList(String value) {
        Set<String> set = new HashSet<>();
        for (String field : value.split(",")) {
            set.add(field.trim().toLowerCase(Locale.ROOT));
        }
        return set;
    }

    private static int intParam(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Runs the offline source until the process is stopped. */
    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("OfflineSourceServer", OfflineSettings.ALL, args);
        long begin = System.nanoTime();
        OfflineSourceServer server = new OfflineSourceServer(settings.get(OfflineSettings.HOST),
                settings.get(OfflineSettings.PORT), settings.get(OfflineSettings.THREADS)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "offline-source-stop"));
        System.out.printf("Offline randomuser-compatible source ready in %d ms at %s%n", (System.nanoTime() - begin) / 1_000_000,
                OfflineSettings.apiUrl(settings.get(OfflineSettings.HOST), server.port()));
    }
}
