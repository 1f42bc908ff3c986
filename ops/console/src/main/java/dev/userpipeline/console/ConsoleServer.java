package dev.userpipeline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.userpipeline.clients.LogTail;
import dev.userpipeline.source.Printable;
import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ConsoleSettings;
import dev.userpipeline.stack.RepoRoot;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The console's web server: the page (static files from {@code console/} on the classpath) and its JSON API.
 *
 * <ul>
 *   <li>{@code GET /api/status}: the latest {@link PipelineSnapshot}</li>
 *   <li>{@code GET /api/logs/SERVICE?lines=N}: the last lines of a service's log</li>
 *   <li>{@code GET /api/health}: the console itself answers</li>
 *   <li>{@code GET /api/trace/ID}: one user's trail through the stores, by id or email</li>
 *   <li>{@code GET /api/history?minutes=N}: the flow over the last minutes, as the charts draw it</li>
 *   <li>{@code GET /api/topics}, {@code GET /api/topics/TOPIC/messages?partition=P&limit=N}, {@code GET /api/dead-letters}:
 *       the topics, their latest messages, the dead letters by reason</li>
 *   <li>{@code GET /api/connect}, {@code POST /api/connect/NAME/ACTION}: the connectors, and pausing, resuming or
 *       restarting one (with the token of {@code GET /api/session})</li>
 *   <li>{@code GET /api/airflow/runs}: the latest runs of the DAG with their reconcile summaries</li>
 *   <li>{@code GET /metrics}: the latest look in Prometheus' text format</li>
 * </ul>
 *
 * Built on the JDK's own HTTP server: a page and three small JSON answers need no web framework, and the
 * console's classpath stays the stack's.
 */
public final class ConsoleServer implements AutoCloseable {

    static final int DEFAULT_LOG_LINES = 200;
    static final int MAX_LOG_LINES = 5_000;
    private static final Duration FIRST_LOOK_WAIT = Duration.ofSeconds(30);
    static final String CONNECT_ACTIONS = "/api/connect/";
    /** The uPlot WebJar's version, which names the folder of its files (the POM's uplot.version). */
    static final String UPLOT_VERSION = "1.6.30";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css",
            // uPlot, the charts' library, from its WebJar.
            "/vendor/uPlot.iife.min.js", "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.iife.min.js",
            "/vendor/uPlot.min.css", "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.min.css");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Threads that serve requests. The JDK's server reads a request's headers on one of them, so a connection
     * that never finishes its request holds a thread until {@link #REQUEST_SECONDS} close it: enough threads
     * that a handful of such connections leave the page and the health check answering.
     */
    static final int THREADS = 48;
    /** Seconds a client has to send its whole request, and to take the whole answer. */
    static final int REQUEST_SECONDS = 10;
    static final int RESPONSE_SECONDS = 60;

    static {
        // Read once, when the JDK's server is first used: set before any server of this process exists.
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final PipelineWatch watch;
    private final Function<String, Path> logFiles;
    private final Supplier<List<String>> serviceNames;
    private final HostCheck hosts;
    private final StackQueries queries;
    private final ConsoleMetrics metrics = new ConsoleMetrics();
    /** Sent back by the page with every action, so that no other site's page can act through a browser. */
    private final String csrfToken = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(24));

    /**
     * @param logFiles     the log file of a service, for a name that {@code serviceNames} lists
     * @param serviceNames the services whose logs may be read (no other path is ever opened)
     * @param allowedHosts host names a browser may use besides loopback's and the address listened on
     * @param queries      what is asked of the stack on request (a user's trace, topics, Connect)
     */
    ConsoleServer(InetSocketAddress address, PipelineWatch watch, Supplier<List<String>> serviceNames,
            Function<String, Path> logFiles, List<String> allowedHosts, StackQueries queries) throws IOException {
        this.watch = watch;
        this.queries = queries;
        this.hosts = new HostCheck(address.getHostString(), allowedHosts);
        this.logFiles = logFiles;
        this.serviceNames = serviceNames;
        this.server = HttpServer.create(address, 64);
        this.workers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "console-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (!hosts.allows(host)) {
                error(exchange, 421, "the console does not answer to the host name '" + Printable.of(host) + "'; call it as "
                        + "127.0.0.1 or localhost, or allow the name with " + ConsoleSettings.ALLOWED_HOSTS.howToChange("NAME"));
                return;
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            if (path.startsWith(CONNECT_ACTIONS)) {
                connectorAction(exchange, path.substring(CONNECT_ACTIONS.length()));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                error(exchange, 405, "only GET is served here (and POST to " + CONNECT_ACTIONS + "NAME/ACTION)");
                return;
            }
            if (path.equals("/api/health")) {
                json(exchange, 200, JSON.createObjectNode().put("status", "ok"));
            } else if (path.equals("/api/status")) {
                status(exchange, uri.getRawQuery());
            } else if (path.equals("/api/history")) {
                history(exchange, uri.getRawQuery());
            } else if (path.equals("/metrics")) {
                metrics(exchange);
            } else if (path.startsWith("/api/trace/")) {
                // The path as decoded: an email's @ may come as %40.
                trace(exchange, path.substring("/api/trace/".length()));
            } else if (path.equals("/api/session")) {
                json(exchange, 200, JSON.createObjectNode().put("csrfToken", csrfToken));
            } else if (path.equals("/api/topics")) {
                answer(exchange, "read the topics", queries::topics);
            } else if (path.startsWith("/api/topics/") && path.endsWith("/messages")) {
                messages(exchange, path.substring("/api/topics/".length(), path.length() - "/messages".length()), uri.getRawQuery());
            } else if (path.equals("/api/dead-letters")) {
                answer(exchange, "read the dead letters", queries::deadLetters);
            } else if (path.equals("/api/airflow/runs")) {
                answer(exchange, "read Airflow's runs", queries::airflowRuns);
            } else if (path.equals("/api/connect")) {
                answer(exchange, "read the Connect cluster", queries::connectors);
            } else if (path.startsWith("/api/logs/")) {
                logs(exchange, path.substring("/api/logs/".length()), uri.getRawQuery());
            } else if (PAGES.containsKey(path)) {
                page(exchange, PAGES.get(path));
            } else {
                error(exchange, 404, "no such page: " + path + " (the console is at /, its API under /api/)");
            }
        } catch (RuntimeException e) {
            System.out.println(Instant.now() + " " + exchange.getRequestURI() + " failed: " + e);
        }
    }

    private void status(HttpExchange exchange, String query) throws IOException {
        PipelineSnapshot snapshot;
        Long maxAge;
        try {
            maxAge = queryNumber(query, "maxAgeMillis", 0, 3_600_000);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        try {
            snapshot = maxAge == null ? watch.latest(FIRST_LOOK_WAIT) : watch.fresh(Duration.ofMillis(maxAge), FIRST_LOOK_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "the console is stopping");
            return;
        }
        if (snapshot == null) {
            error(exchange, 503, "the first look at the pipeline takes longer than " + FIRST_LOOK_WAIT.toSeconds()
                    + " s; see logs/console.log");
            return;
        }
        json(exchange, 200, snapshot.toJson());
    }

    private void history(HttpExchange exchange, String query) throws IOException {
        Long minutes;
        try {
            minutes = queryNumber(query, "minutes", 1, PipelineHistory.KEPT.toMinutes());
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        Instant from = Instant.now().minus(Duration.ofMinutes(minutes == null ? 15 : minutes));
        json(exchange, 200, watch.history().toJson(from));
    }

    /** The latest look in Prometheus' text format; a scrape counts as watching, so scrapes keep the looks coming. */
    private void metrics(HttpExchange exchange) throws IOException {
        PipelineSnapshot snapshot;
        try {
            snapshot = watch.latest(FIRST_LOOK_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "the console is stopping");
            return;
        }
        if (snapshot != null) {
            metrics.update(snapshot);
        }
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void trace(HttpExchange exchange, String user) throws IOException {
        if (user.isBlank() || user.length() > 320) {
            error(exchange, 400, "give a user's id or email: /api/trace/ID");
            return;
        }
        answer(exchange, "trace " + Printable.of(user), () -> queries.trace(user));
    }

    private void messages(HttpExchange exchange, String topic, String query) throws IOException {
        Long partition;
        Long limit;
        try {
            partition = queryNumber(query, "partition", 0, 100_000);
            limit = queryNumber(query, "limit", 1, TopicBrowser.MAX_MESSAGES);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        answer(exchange, "read " + Printable.of(topic), () -> queries.messages(topic, partition == null ? null : partition.intValue(),
                limit == null ? 20 : limit.intValue()));
    }

    /**
     * {@code POST /api/connect/NAME/ACTION}: only with the page's token in {@code X-CSRF-Token}, which a page of another
     * site cannot read nor send (a custom header takes a CORS preflight, which the console never grants).
     */
    private void connectorAction(HttpExchange exchange, String rest) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            error(exchange, 405, "a connector is acted on with POST " + CONNECT_ACTIONS + "NAME/ACTION");
            return;
        }
        String token = exchange.getRequestHeaders().getFirst("X-CSRF-Token");
        if (token == null || !java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                csrfToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            error(exchange, 403, "an action needs the console's token in the X-CSRF-Token header (GET /api/session gives it)");
            return;
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            error(exchange, 404, "act on a connector with POST " + CONNECT_ACTIONS + "NAME/ACTION (ACTION: pause, resume, restart)");
            return;
        }
        String connector = rest.substring(0, slash);
        String action = rest.substring(slash + 1);
        if (!ConnectCluster.ACTIONS.contains(action)) {
            error(exchange, 400, "no action '" + Printable.of(action) + "'; a connector can be paused, resumed or restarted");
            return;
        }
        answer(exchange, action + " " + Printable.of(connector), () -> JSON.createObjectNode().put("result", queries.act(connector, action)));
    }

    /** Something read on request: its JSON, or 503 with why it could not be read. */
    private interface Answer {
        ObjectNode get() throws Exception;
    }

    private static void answer(HttpExchange exchange, String what, Answer answer) throws IOException {
        ObjectNode body;
        try {
            body = answer.get();
        } catch (IllegalArgumentException e) {
            error(exchange, 404, "cannot " + what + ": " + e.getMessage());
            return;
        } catch (Exception e) {
            error(exchange, 503, "cannot " + what + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName())
                    + " (`pipeline status` shows which service is away)");
            return;
        }
        json(exchange, 200, body);
    }

    private void logs(HttpExchange exchange, String service, String query) throws IOException {
        List<String> names = serviceNames.get();
        if (!names.contains(service)) {
            error(exchange, 404, "no service '" + service + "'; the services are " + String.join(", ", names));
            return;
        }
        int lines;
        try {
            lines = logLines(query);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        Path file = logFiles.apply(service);
        ObjectNode answer = JSON.createObjectNode().put("service", service).put("file", file.toString());
        LogTail.lastLines(file, lines).forEach(answer.putArray("lines")::add);
        json(exchange, 200, answer);
    }

    /** The {@code lines} parameter: 1 to {@value #MAX_LOG_LINES}, {@value #DEFAULT_LOG_LINES} when absent. */
    static int logLines(String rawQuery) {
        Long lines = queryNumber(rawQuery, "lines", 1, MAX_LOG_LINES);
        return lines == null ? DEFAULT_LOG_LINES : lines.intValue();
    }

    /** A whole-number parameter of a query, from {@code min} to {@code max}; null when absent. */
    static Long queryNumber(String rawQuery, String name, long min, long max) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=")) {
                String value = pair.substring(name.length() + 1);
                long number;
                try {
                    number = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '"
                            + Printable.of(value) + "'");
                }
                if (number < min || number > max) {
                    throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + number);
                }
                return number;
            }
        }
        return null;
    }

    private static void page(HttpExchange exchange, String name) throws IOException {
        byte[] body;
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name.startsWith("/") ? name : "/console/" + name)) {
            if (in == null) {
                error(exchange, 500, "the console's file " + name + " is missing from its build");
                return;
            }
            body = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        send(exchange, 200, type + "; charset=utf-8", body);
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, JSON.createObjectNode().put("error", message));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        // No grace period: before Java 22 (JDK-8304065) stop(n) waits all n seconds even with no exchange under
        // way, which made every stop of the console, and each of ConsoleServerTest's 14 tests, 1 s longer. An answer
        // cut short is a page's next refresh.
        server.stop(0);
        workers.shutdownNow();
        watch.close();
    }

    /**
     * The stack's settings as the work directory holds them: this process's flags, then the environment,
     * then what {@code up} saved, then the defaults (the same layers {@code pipeline status} reads).
     */
    static Settings settings(String[] args, Map<String, String> env) {
        return Stack.runningSettings(args, env);
    }

    public static void main(String[] args) throws Exception {
        if (Settings.asksForHelp(args)) {
            System.out.println("Every key of `pipeline config` besides these is read from what `up` saved in the work directory.");
        }
        // Its own keys, from the environment the stack gives it (and --help, --print-settings); the rest as saved.
        ProcessSettings.resolve("ConsoleServer", ConsoleSettings.PROCESS, args);
        Settings settings = settings(args, System.getenv());
        Path root = RepoRoot.find();
        String host = settings.get(ConsoleSettings.HOST);
        int port = settings.get(ConsoleSettings.PORT);
        Stack stack = new Stack(settings, root);
        PipelineWatch watch = new PipelineWatch(
                () -> settings(args, System.getenv()),
                current -> new Stack(current, root)::status,
                FlowCounters::new,
                Duration.ofSeconds(settings.get(ConsoleSettings.REFRESH_SECONDS)));
        ConsoleServer console;
        try {
            console = new ConsoleServer(new InetSocketAddress(host, port), watch, stack::serviceNames, stack::logFile,
                    settings.get(ConsoleSettings.ALLOWED_HOSTS), StackQueries.of(() -> settings(args, System.getenv())));
        } catch (BindException e) {
            watch.close();
            System.err.println("Cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): another process holds it. "
                    + "Move the console with " + ConsoleSettings.PORT.howToChange("PORT") + ".");
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(Instant.now() + " console stopping");
            console.close();
        }, "console-shutdown"));
        System.out.println(Instant.now() + " console serving " + ConsoleSettings.url(host, port) + " for the stack in "
                + settings.get(StackSettings.HOME).toAbsolutePath());
    }
}
