package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.stack.PortCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher as a user runs it: its own JVM, in the foreground, stopped by a signal. Runs the cli
 * module's stack ({@link CliStack}) without Airflow, and leaves it down, its data kept for the next test.
 */
class PipelineProcessIT {

    static final Path ROOT = CliStack.ROOT;
    static final Path HOME = CliStack.HOME;
    static final int CONSOLE_PORT = CliStack.CONSOLE_PORT;
    static final int[] PORTS = CliStack.PORTS;
    static final List<String> SERVICES = List.of("postgres", "kafka", "cassandra", "connect", "offline-source", "ingest", "stream", "console",
            "supervisor");
    // Airflow has a test of its own (AirflowIT); here the continuous ingestion runs instead.
    static final List<String> WITHOUT_AIRFLOW = List.of("--airflow-enabled", "false");

    /** Each run starts from an empty work directory: what an earlier run landed would change what these tests see. */
    @BeforeAll
    static void noStackLeftNorItsData() throws Exception {
        Process down = launcher(concat("down", "--purge")).start();
        down.waitFor(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void noStackLeft() throws Exception {
        Process down = launcher(concat("down")).start();
        down.waitFor(120, TimeUnit.SECONDS);
    }

    /** Launchers started in the foreground; one that a failed test left running is killed after it. */
    static final List<Process> LAUNCHERS = new ArrayList<>();

    @AfterEach
    void killLeftoverLaunchers() {
        LAUNCHERS.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
        LAUNCHERS.clear();
    }

    @Test
    void sigtermToTheForegroundLauncherStopsEveryServiceCleanly() throws Exception {
        Path output = HOME.getParent().resolve("it-foreground-1.log");
        Process launcher = startForeground(output);
        List<ProcessHandle> services = servicePids();
        assertThat(services).hasSize(SERVICES.size()).allMatch(ProcessHandle::isAlive);

        launcher.destroy(); // SIGTERM: the same shutdown path as Ctrl-C's SIGINT
        assertThat(launcher.waitFor(180, TimeUnit.SECONDS)).as("launcher exits").isTrue();

        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(printed).contains("Stopping the stack");
        for (String service : SERVICES) {
            assertThat(printed).containsPattern(service + " +stopped");
        }
        assertThat(services).noneMatch(ProcessHandle::isAlive);
        for (int port : PORTS) {
            assertThat(PortCheck.isFree("127.0.0.1", port)).as("port %d is free", port).isTrue();
        }
    }

    @Test
    void aKilledLauncherLeavesServicesThatTheNextUpAdoptsTheSupervisorWatchesAndDownStops() throws Exception {
        Path output = HOME.getParent().resolve("it-foreground-2.log");
        Process launcher = startForeground(output);
        List<ProcessHandle> services = servicePids();

        launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs
        launcher.waitFor(30, TimeUnit.SECONDS);
        assertThat(services).allMatch(ProcessHandle::isAlive);

        CliRun adopted = CliRun.of(concat("up", "--detach").toArray(String[]::new));
        assertThat(adopted.exitCode()).as(adopted.err()).isZero();
        for (int i = 0; i < SERVICES.size(); i++) {
            assertThat(adopted.out()).containsPattern(SERVICES.get(i) + " +already running \\(pid " + services.get(i).pid() + "\\)");
        }

        assertThat(adopted.out()).contains("The pipeline console: http://127.0.0.1:" + CONSOLE_PORT + "/");

        CliRun status = CliRun.of(concat("status").toArray(String[]::new));
        assertThat(status.exitCode()).as(status.out()).isZero();
        assertThat(status.out()).contains("healthy", "users landed");

        CliRun ingest = CliRun.of(concat("ingest", "--count", "12000", "--seed", "process-it", "--json").toArray(String[]::new));
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        assertThat(ingest.out()).contains("\"batch_id\":\"seed-process-it\"", "\"fetched\":12000", "\"inserted\":12000", "\"duplicates\":0");
        // The same command again: the landing table knows its pages, so none is fetched twice.
        CliRun again = CliRun.of(concat("ingest", "--count", "12000", "--seed", "process-it").toArray(String[]::new));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("fetched 0, inserted 0, duplicates 0, quarantined 0",
                "skipped 3 pages (12000 users) an earlier run landed");

        theConsoleShowsTheRunningStack();
        aDeliveredARejectedAndAnUnknownUserAreEachTracedToTheirEnd();
        nothingIsReadableByOthersNorListensOffLoopback();
        theSupervisorStartsTheDeadAgainUpToItsLimit();

        CliRun down = CliRun.of(concat("down").toArray(String[]::new));
        assertThat(down.exitCode()).isZero();
        assertThat(services).noneMatch(ProcessHandle::isAlive);
        assertThat(HOME.resolve("run/supervisor.pid")).doesNotExist();
        for (int port : PORTS) {
            assertThat(PortCheck.isFree("127.0.0.1", port)).as("port %d is free", port).isTrue();
        }
        assertThat(CliRun.of(concat("status").toArray(String[]::new)).exitCode()).isEqualTo(StatusCommand.NOT_ALL_HEALTHY);
    }

    @Test
    void aServiceThatIsNotHealthyInTimeFailsUpWithItsLogAndLeavesNothingRunning() throws Exception {
        List<String> args = concat("up", "--detach", "--start-timeout", "2");
        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(FailureReporter.STACK_FAILED);
        assertThat(run.err()).contains("The stack did not start", "cassandra: not healthy after 2 s",
                "--start-timeout SECONDS or PIPELINE_START_TIMEOUT=SECONDS");
        assertThat(run.out()).contains("---- last lines of cassandra's log ----", "starting cassandra",
                "Stopping what this start brought up");
        for (String service : SERVICES) {
            assertThat(HOME.resolve("run/" + service + ".pid")).doesNotExist();
        }
        for (int port : PORTS) {
            assertThat(PortCheck.isFree("127.0.0.1", port)).as("port %d is free", port).isTrue();
        }
    }

    /**
     * The Spark job killed with SIGKILL is started again by the supervisor and status counts it; the console killed
     * three times with a limit of two restarts is given up on, and status says so; up starts it again.
     */
    private static void theSupervisorStartsTheDeadAgainUpToItsLimit() throws Exception {
        ProcessHandle stream = servicePid("stream");
        stream.destroyForcibly();
        long begin = System.nanoTime();
        ProcessHandle again = awaitNewProcess("stream", stream, 30);
        System.out.printf("stream started again by the supervisor %d ms after its SIGKILL (pid %d)%n",
                (System.nanoTime() - begin) / 1_000_000, again.pid());
        JsonNode streamLook = awaitService("stream", s -> s.path("state").asText().equals("healthy"), 240);
        assertThat(streamLook.path("restarts").asInt()).isEqualTo(1);
        assertThat(streamLook.path("supervision").asText()).startsWith("restarted 1x by the supervisor, last death at ");
        assertThat(Files.readString(HOME.resolve("logs/supervisor.log"))).contains("stream died (death at ", "stream started again, pid " + again.pid());

        ProcessHandle console = servicePid("console");
        for (int death = 1; death <= 2; death++) {
            console.destroyForcibly();
            console = awaitNewProcess("console", console, 60);
            awaitService("console", s -> s.path("state").asText().equals("healthy"), 120);
        }
        console.destroyForcibly();
        JsonNode given = awaitService("console", s -> s.path("state").asText().equals("failed"), 60);
        assertThat(given.path("restarts").asInt()).isEqualTo(2);
        assertThat(given.path("restartsGivenUp").asBoolean()).isTrue();
        assertThat(given.path("detail").asText()).contains("gave up after 2 restarts within 10 min");
        Thread.sleep(5_000);
        assertThat(running("console")).as("the console is no longer started again").isFalse();
        CliRun status = CliRun.of(concat("status").toArray(String[]::new));
        assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_ALL_HEALTHY);
        assertThat(status.out()).containsPattern("console +failed").contains("2, gave up").containsPattern("stream +healthy");

        CliRun upAgain = CliRun.of(concat("up", "--detach").toArray(String[]::new));
        assertThat(upAgain.exitCode()).as(upAgain.out() + upAgain.err()).isZero();
        JsonNode restarted = awaitService("console", s -> s.path("state").asText().equals("healthy"), 60);
        assertThat(restarted.path("restarts").asInt()).isZero();
    }

    /**
     * The work directory is its owner's alone, and so is every file holding a secret or users' data in it; as
     * another account, PostgreSQL's socket cannot even be reached; no process of the stack listens off loopback.
     */
    private static void nothingIsReadableByOthersNorListensOffLoopback() throws Exception {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> shared = java.util.EnumSet.of(
                java.nio.file.attribute.PosixFilePermission.GROUP_READ, java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
                java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(HOME)).as("the work directory").doesNotContainAnyElementsOf(shared);
        List<String> readable = new ArrayList<>();
        for (String tree : List.of("postgres/data", "postgres/run", "postgres/superuser-password", "kafka", "cassandra/data",
                "cassandra/commitlog", "stream", "logs", "run/settings.properties", "run")) {
            Path top = HOME.resolve(tree);
            if (!Files.exists(top)) {
                continue;
            }
            try (var walk = Files.walk(top)) {
                for (Path p : walk.toList()) {
                    if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().endsWith(".classpath")
                            && !java.util.Collections.disjoint(Files.getPosixFilePermissions(p), shared)) {
                        readable.add(HOME.relativize(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                    }
                }
            }
        }
        assertThat(readable).as("files of secrets or users' data readable beyond their owner").isEmpty();

        if (Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            CommandResult cat = run("/usr/sbin/runuser", "-u", "nobody", "--", "cat", HOME.resolve("run/settings.properties").toString());
            assertThat(cat.exit()).as("nobody reads the saved settings: " + cat.output()).isNotZero();
            if (Files.isExecutable(Path.of("/usr/bin/psql"))) {
                CommandResult psql = run("/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/psql", "-h", HOME.resolve("postgres/run").toString(),
                        "-p", Integer.toString(CliStack.POSTGRES_PORT), "-U", "postgres", "-w", "-c", "select 1");
                assertThat(psql.exit()).as(psql.output()).isNotZero();
                assertThat(psql.output()).containsAnyOf("Permission denied", "No such file or directory");
            }
        }

        List<Long> pids = new ArrayList<>();
        for (String service : SERVICES) {
            ProcessHandle handle = servicePid(service);
            pids.add(handle.pid());
            handle.descendants().forEach(d -> pids.add(d.pid()));
        }
        List<LoopbackListeners.Listener> listeners = LoopbackListeners.of(pids);
        assertThat(listeners).as("the stack listens").isNotEmpty();
        assertThat(listeners).as("listeners off loopback").allMatch(LoopbackListeners.Listener::loopback);
    }

    record CommandResult(int exit, String output) {
    }

    private static CommandResult run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CommandResult(process.exitValue(), output);
    }

    private static ProcessHandle servicePid(String service) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(HOME.resolve("run/" + service + ".pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(service + "'s process " + pid + " is gone"));
    }

    /** Whether a live process of the service is recorded. */
    private static boolean running(String service) throws IOException {
        Path pidFile = HOME.resolve("run/" + service + ".pid");
        return Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                .map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits for a process of {@code service} other than {@code old}, alive, recorded in its pid file. */
    private static ProcessHandle awaitNewProcess(String service, ProcessHandle old, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Path pidFile = HOME.resolve("run/" + service + ".pid");
            if (Files.exists(pidFile)) {
                try {
                    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                    if (pid != old.pid()) {
                        java.util.Optional<ProcessHandle> now = ProcessHandle.of(pid);
                        if (now.isPresent() && now.get().isAlive()) {
                            return now.get();
                        }
                    }
                } catch (IOException | RuntimeException rewritten) {
                    // Read while being replaced: look again.
                }
            }
            Thread.sleep(250);
        }
        return fail(service + " was not started again within " + seconds + " s; supervisor's log:\n"
                + String.join("\n", dev.userpipeline.clients.LogTail.lastLines(HOME.resolve("logs/supervisor.log"), 30)));
    }

    /** Asks `status --json` until the service's look satisfies {@code until}; its last look otherwise fails the test. */
    private static JsonNode awaitService(String service, java.util.function.Predicate<JsonNode> until, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode look = null;
        while (System.nanoTime() < deadline) {
            CliRun status = CliRun.of(concat("status", "--json").toArray(String[]::new));
            for (JsonNode s : new ObjectMapper().readTree(status.out())) {
                if (s.path("name").asText().equals(service)) {
                    look = s;
                }
            }
            if (look != null && until.test(look)) {
                return look;
            }
            Thread.sleep(1_000);
        }
        return fail("status of " + service + " never as expected within " + seconds + " s; last look: " + look);
    }

    /** The console on its port shows what status shows, the flow's counters and any service's log. */
    private static void theConsoleShowsTheRunningStack() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + CONSOLE_PORT;
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>user-pipeline console</title>");

        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // Until a look finds every service healthy, two looks give the landing table a rate, and Connect has captured
        // the 12,000 landed above (it may still be at it: a look answers in a few hundred milliseconds).
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            status = new ObjectMapper().readTree(answer.body());
            if (status.path("healthy").asBoolean() && !status.path("stages").get(0).path("perSecond").isNull()
                    && status.path("stages").get(1).path("count").asLong() >= 12_000 && status.path("stages").get(2).path("count").asLong() > 0) {
                break;
            }
            Thread.sleep(2_000);
        }
        assertThat(status.path("healthy").asBoolean()).as(status.toPrettyString()).isTrue();
        Map<String, String> states = new java.util.LinkedHashMap<>();
        status.path("services").forEach(s -> states.put(s.path("name").asText(), s.path("state").asText()));
        for (String service : SERVICES) {
            assertThat(states).as(status.toPrettyString()).containsEntry(service, "healthy");
        }
        assertThat(states).containsEntry("airflow-api-server", "off");
        JsonNode landed = status.path("stages").get(0);
        assertThat(landed.path("stage").asText()).isEqualTo("landed");
        assertThat(landed.path("count").asLong()).as("the 12,000 landed above and what continuous ingestion added").isGreaterThanOrEqualTo(12_000);
        assertThat(landed.path("perSecond").asDouble()).as("continuous ingestion lands 10 users/s").isPositive();
        JsonNode captured = status.path("stages").get(1);
        assertThat(captured.path("stage").asText()).isEqualTo("captured");
        assertThat(captured.path("count").asLong()).isGreaterThanOrEqualTo(12_000);
        assertThat(captured.path("error").isNull()).isTrue();
        JsonNode written = status.path("stages").get(2);
        assertThat(written.path("stage").asText()).isEqualTo("accepted");
        assertThat(written.path("error").isNull()).as(written.toPrettyString()).isTrue();
        assertThat(written.path("count").asLong()).as("users the job counted in its totals row").isPositive();

        assertThat(status.path("lag").path("job").path("records").isIntegralNumber()).as(status.path("lag").toPrettyString()).isTrue();
        assertThat(status.path("lag").path("slot").path("bytes").isIntegralNumber()).as(status.path("lag").toPrettyString()).isTrue();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("pipeline_stage_records_total\\{stage=\"landed\"} [1-9]")
                .containsPattern("pipeline_stage_records_total\\{stage=\"accepted\"} [1-9]")
                .containsPattern("pipeline_stream_partition_lag_records\\{partition=\"0\"} \\d")
                .containsPattern("pipeline_stream_lag_records \\d")
                .contains("pipeline_service_up{service=\"stream\"} 1.0");

        JsonNode log = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/logs/kafka?lines=5")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(log.path("lines").size()).isEqualTo(5);
    }

    /**
     * `trace` and the console's trace, against the stores themselves: a user of the batch above with its four stage
     * times, a user whose landing row the job rejects with its reason, and an id that never landed.
     */
    private static void aDeliveredARejectedAndAnUnknownUserAreEachTracedToTheirEnd() throws Exception {
        var settings = dev.userpipeline.stack.Stack.runningSettings(new String[] {"--home=" + HOME}, Map.of());
        String delivered;
        String rejected = java.util.UUID.randomUUID().toString();
        try (var postgres = java.sql.DriverManager.getConnection(dev.userpipeline.services.postgres.PostgresSettings.jdbcUrl(settings),
                dev.userpipeline.services.postgres.PostgresSettings.login(settings, java.time.Duration.ofSeconds(30)));
                var statement = postgres.createStatement()) {
            var one = statement.executeQuery("select id from ingest.users_raw where batch_id = 'seed-process-it' order by id limit 1");
            one.next();
            delivered = one.getString(1);
            // A user of the batch under a new id, with an email the job refuses.
            statement.executeUpdate("insert into ingest.users_raw (id, payload, batch_id, source, fetched_at) select '" + rejected
                    + "', jsonb_set(jsonb_set(payload, '{email}', '\"nobody-at-example.com\"'), '{login,uuid}', '\"" + rejected
                    + "\"'), 'trace-it', source, now() from ingest.users_raw where id = '" + delivered + "'");
        }

        JsonNode trace = awaitTrace(delivered, "delivered");
        assertThat(trace.path("stages")).extracting(s -> s.path("stage").asText())
                .containsExactly("fetched", "landed", "published", "written");
        java.time.Instant before = java.time.Instant.EPOCH;
        for (JsonNode stage : trace.path("stages")) {
            java.time.Instant at = java.time.Instant.parse(stage.path("at").asText());
            assertThat(at).as(trace.toPrettyString()).isAfterOrEqualTo(before);
            before = at;
        }
        assertThat(trace.path("stages").get(2).path("where").asText()).matches("users_created partition \\d offset \\d+");
        assertThat(trace.path("endToEndMillis").asLong()).isPositive();
        CliRun text = CliRun.of(concat("trace", delivered).toArray(String[]::new));
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith(delivered + ": delivered").contains("written", "end to end");

        JsonNode refused = awaitTrace(rejected, "rejected");
        assertThat(refused.path("reason").asText()).isEqualTo("email is not an address: nobody-at-example.com");
        assertThat(refused.path("stages")).extracting(s -> s.path("stage").asText()).endsWith("rejected");

        String unknown = java.util.UUID.randomUUID().toString();
        CliRun never = CliRun.of(concat("trace", unknown).toArray(String[]::new));
        assertThat(never.exitCode()).isEqualTo(TraceCommand.NOT_THROUGH);
        assertThat(never.out()).contains(unknown + ": never landed", "no row of ingest.users_raw has the id " + unknown);

        HttpResponse<String> console = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + CONSOLE_PORT + "/api/trace/" + rejected)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
        JsonNode fromConsole = new ObjectMapper().readTree(console.body());
        assertThat(fromConsole.path("outcome").asText()).isEqualTo("rejected");
        assertThat(fromConsole.path("reason").asText()).isEqualTo(refused.path("reason").asText());
    }

    /** `trace ID --json` until the user's outcome is the one awaited, for up to two minutes. */
    private static JsonNode awaitTrace(String user, String outcome) throws Exception {
        JsonNode trace = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            CliRun run = CliRun.of(concat("trace", user, "--json").toArray(String[]::new));
            trace = new ObjectMapper().readTree(run.out());
            if (trace.path("outcome").asText().equals(outcome)) {
                assertThat(run.exitCode()).isZero();
                return trace;
            }
            Thread.sleep(2_000);
        }
        return fail("trace of " + user + " never " + outcome + " within 120 s; last: " + trace);
    }

    private static Process startForeground(Path output) throws Exception {
        Files.createDirectories(output.getParent());
        // A restart limit of 2: the supervisor's test gives up on a service after its third death.
        Process launcher = launcher(concat("up", "--refresh", "1", "--supervisor-restart-limit", "2"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        LAUNCHERS.add(launcher);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            String printed = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (printed.contains("Watching the stack")) {
                return launcher;
            }
            if (!launcher.isAlive()) {
                fail("The launcher exited with " + launcher.exitValue() + " before the stack was up:\n" + printed);
            }
            Thread.sleep(500);
        }
        launcher.destroyForcibly();
        fail("The stack was not up in time:\n" + Files.readString(output, StandardCharsets.UTF_8));
        return launcher;
    }

    private static List<ProcessHandle> servicePids() throws IOException {
        List<ProcessHandle> handles = new ArrayList<>();
        for (String service : SERVICES) {
            long pid = Long.parseLong(Files.readAllLines(HOME.resolve("run/" + service + ".pid")).get(0).trim());
            handles.add(ProcessHandle.of(pid).orElseThrow());
        }
        return handles;
    }

    private static List<String> concat(String... command) {
        return CliStack.command(WITHOUT_AIRFLOW, command);
    }

    /** The launcher as ./pipeline runs it: the cli module's classes and runtime classpath. */
    private static ProcessBuilder launcher(List<String> args) throws IOException {
        String classpath = ROOT.resolve("ops/cli/target/classes") + ":"
                + Files.readString(ROOT.resolve("ops/cli/target/runtime-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpipeline.root=" + ROOT, "-cp", classpath, PipelineCommand.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
}
