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
    static final List<String> SERVICES = List.of("postgres", "kafka", "cassandra", "connect", "offline-source", "ingest", "stream", "console");
    // Airflow has a test of its own (AirflowIT); here the continuous ingestion runs instead.
    static final List<String> WITHOUT_AIRFLOW = List.of("--airflow-enabled", "false");

    @BeforeAll
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
    void aKilledLauncherLeavesServicesThatTheNextUpAdoptsAndDownStops() throws Exception {
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
        CliRun again = CliRun.of(concat("ingest", "--count", "12000", "--seed", "process-it").toArray(String[]::new));
        assertThat(again.out()).contains("fetched 12000, inserted 0, duplicates 12000, quarantined 0");

        theConsoleShowsTheRunningStack();

        CliRun down = CliRun.of(concat("down").toArray(String[]::new));
        assertThat(down.exitCode()).isZero();
        assertThat(services).noneMatch(ProcessHandle::isAlive);
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

    /** The console on its port shows what status shows, the flow's counters and any service's log. */
    private static void theConsoleShowsTheRunningStack() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + CONSOLE_PORT;
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>user-pipeline console</title>");

        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // Until a look finds every service healthy and two looks give the landing table a rate.
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            status = new ObjectMapper().readTree(answer.body());
            if (status.path("healthy").asBoolean() && !status.path("stages").get(0).path("perSecond").isNull()) {
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

        JsonNode log = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/logs/kafka?lines=5")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(log.path("lines").size()).isEqualTo(5);
    }

    private static Process startForeground(Path output) throws Exception {
        Files.createDirectories(output.getParent());
        Process launcher = launcher(concat("up", "--refresh", "1"))
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
