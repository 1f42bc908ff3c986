package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.clients.CassandraSessions;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.BatchDelivery;
import dev.userpipeline.delivery.CassandraPresence;
import dev.userpipeline.delivery.LandedBatch;
import dev.userpipeline.services.airflow.AirflowApi;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.stack.StackSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Airflow on the cli module's stack ({@link CliStack}), started as a user starts it ({@code up --detach}):
 * installed from the pinned set, the DAG unpaused and running on schedule, {@code airflow dags test}
 * delivering a batch, and a stopped Spark job named as the stage where a batch is stuck.
 */
class AirflowIT {

    static final Path ROOT = CliStack.ROOT;
    static final Path HOME = CliStack.HOME;
    static final int AIRFLOW_PORT = CliStack.AIRFLOW_PORT;
    // The console runs too: it shows Airflow's runs, and while nobody watches it samples the flow alone (0.5 % of a
    // core, bench/results/console.md).
    static final List<String> WITH_AIRFLOW = List.of("--airflow-dag-users", "200");

    @BeforeAll
    static void upWithAirflow() {
        CliRun.of(concat("down"));
        CliRun up = CliRun.of(concat("up", "--detach"));
        System.out.println(up.out());
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        assertThat(up.out()).as("Airflow is part of the stack").doesNotContain("Airflow: off").contains("airflow-scheduler");
    }

    @AfterAll
    static void down() {
        CliRun.of(concat("down"));
    }

    @Test
    void theDagsOwnTestsPass() throws Exception {
        Path venvPython = CliStack.AIRFLOW_VENV.resolve("bin/python");
        ProcessBuilder pytest = new ProcessBuilder(venvPython.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                ROOT.resolve("airflow/tests").toString()).redirectErrorStream(true);
        pytest.environment().keySet().removeIf(key -> key.startsWith("PIPELINE_") || key.startsWith("AIRFLOW"));
        pytest.environment().put("AIRFLOW_HOME", HOME.resolve("pytest-airflow-home").toString());
        Run run = Run.start(pytest, HOME.resolve("pytest.log"));
        run.await(Duration.ofMinutes(3));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("\\d+ passed");
    }

    @Test
    void upBringsAirflowUpWithTheDagUnpausedAndScheduledRunsSucceed() throws Exception {
        String credentials = Files.readString(HOME.resolve("airflow/admin-credentials"), StandardCharsets.UTF_8).trim();
        assertThat(credentials).matches("admin:\\S{12,}");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(HOME.resolve("airflow/admin-credentials"))))
                .isEqualTo("rw-------");
        AirflowApi api = api();
        assertThat(api.dag(AirflowSettings.DAG_ID).path("is_paused").asBoolean()).isFalse();

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        JsonNode runs = null;
        while (System.nanoTime() < deadline) {
            runs = api.get("/api/v2/dags/" + AirflowSettings.DAG_ID + "/dagRuns?state=success&run_type=scheduled");
            if (runs.path("total_entries").asInt() > 0) {
                break;
            }
            Thread.sleep(5_000);
        }
        assertThat(runs.path("total_entries").asInt()).as("successful scheduled runs: %s", runs).isPositive();
        String runId = runs.path("dag_runs").get(0).path("dag_run_id").asText();
        assertThat(reconcileOf(runId)).contains("\"match\"", "true", "\"count\"", "200");
        // The console shows the same run, with what its reconcile found, linked to Airflow's UI.
        var console = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + CliStack.CONSOLE_PORT + "/api/airflow/runs")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
        JsonNode shown = null;
        for (JsonNode run : new com.fasterxml.jackson.databind.ObjectMapper().readTree(console.body()).path("runs")) {
            if (run.path("runId").asText().equals(runId)) {
                shown = run;
            }
        }
        assertThat(shown).as(console.body()).isNotNull();
        assertThat(shown.path("state").asText()).isEqualTo("success");
        assertThat(shown.path("reconcile").path("match").asBoolean()).as(shown.toString()).isTrue();
        assertThat(shown.path("url").asText()).startsWith("http://127.0.0.1:" + CliStack.AIRFLOW_PORT + "/dags/" + AirflowSettings.DAG_ID + "/runs/");

        // A later up of the running stack with the DAG asked paused pauses it, and nothing else changes.
        CliRun pause = CliRun.of(concat("up", "--detach", "--airflow-dag-paused", "true"));
        assertThat(pause.exitCode()).as(pause.err() + pause.out()).isZero();
        assertThat(api.dag(AirflowSettings.DAG_ID).path("is_paused").asBoolean()).isTrue();
    }

    @Test
    void airflowDagsTestRunsTheThreeTasksAndCassandraHoldsTheBatch() throws Exception {
        Run run = dagsTest("{\"users\": 2000}", "dags-test-1.log");
        run.await(Duration.ofMinutes(6));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"stage\":\"delivered\"", "\"match\":true");
        String batch = batchOf(run.output());

        Settings settings = settings();
        LandedBatch landed = BatchDelivery.landed(settings, batch);
        assertThat(landed.size()).isEqualTo(2000);
        try (CqlSession session = CassandraSessions.open("127.0.0.1:" + CliStack.CASSANDRA_PORT, Duration.ofSeconds(30))) {
            assertThat(new CassandraPresence(session, "spark_streams").present(landed.ids())).hasSize(2000);
        }
    }

    @Test
    void aStoppedSparkJobIsNamedAsTheStalledStageAndARetryPassesOnceItRuns() throws Exception {
        CliRun stop = CliRun.of(concat("down", "stream"));
        assertThat(stop.exitCode()).as(stop.err() + stop.out()).isZero();

        Run run = dagsTest("{\"users\": 300, \"await_timeout\": 15}", "dags-test-2.log");
        run.awaitOutput(text -> text.contains("stalled at stream"), Duration.ofMinutes(4));
        assertThat(run.output()).contains("the Spark job has not written them", "stream is stopped");

        CliRun up = CliRun.of(concat("up", "--detach"));
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        run.await(Duration.ofMinutes(6));
        assertThat(run.exitCode()).as(run.output()).isZero();
        // The retry and the reconcile after it may run in the stack's own scheduler rather than in this process,
        // their output then in the tasks' logs: the run's success and the reconcile's result, asked of Airflow, show it.
        assertThat(run.output()).contains("up_for_retry", "state=success");
        Matcher runId = Pattern.compile("DagRun Finished: dag_id=" + AirflowSettings.DAG_ID + ", [^\\n]*?run_id=([^,]+),").matcher(run.output());
        assertThat(runId.find()).as("the finished run in:%n%s", run.output()).isTrue();
        assertThat(reconcileOf(runId.group(1))).contains("\"match\"", "true", "\"count\"", "300");
    }

    @Test
    void aBatchWithUsersTheJobRejectsIsDeliveredAndReconciledWithBothCountsAndTheReasons() throws Exception {
        CliRun up = CliRun.of(concat("up", "--detach"));
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        String batch = "with-rejects-" + java.util.UUID.randomUUID();
        CliRun ingest = CliRun.of(concat("ingest", "--count", "20", "--seed", batch, "--batch-id", batch));
        assertThat(ingest.exitCode()).as(ingest.err() + ingest.out()).isZero();

        // Three users that land (PostgreSQL takes any JSON) but that break the job's contract: a name as one string.
        Settings settings = settings();
        try (java.sql.Connection pg = java.sql.DriverManager.getConnection(
                dev.userpipeline.services.postgres.PostgresSettings.jdbcUrl(settings),
                settings.get(dev.userpipeline.services.postgres.PostgresSettings.USER),
                settings.get(dev.userpipeline.services.postgres.PostgresSettings.PASSWORD));
                java.sql.PreparedStatement insert = pg.prepareStatement("insert into ingest.users_raw (id, payload, batch_id, source, fetched_at) "
                        + "select ?::uuid, jsonb_set(jsonb_set(payload, '{login,uuid}', to_jsonb(?::text)), '{name}', '\"Ana Petrović\"'), "
                        + "batch_id, source, fetched_at from ingest.users_raw where batch_id = ? limit 1")) {
            for (int i = 0; i < 3; i++) {
                String id = java.util.UUID.randomUUID().toString();
                insert.setString(1, id);
                insert.setString(2, id);
                insert.setString(3, batch);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
        }

        CliRun delivered = CliRun.of(concat("await-delivery", "--batch-id", batch, "--timeout", "240", "--json"));
        assertThat(delivered.exitCode()).as(delivered.err() + delivered.out()).isZero();
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(delivered.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(report.path("delivered").asInt()).isEqualTo(20);
        assertThat(report.path("rejected").asInt()).isEqualTo(3);
        assertThat(report.path("missing").asInt()).isZero();

        CliRun reconcile = CliRun.of(concat("reconcile", "--batch-id", batch));
        assertThat(reconcile.exitCode()).as(reconcile.err() + reconcile.out()).isZero();
        assertThat(reconcile.out()).contains("PostgreSQL 23 users", "Cassandra 20 users",
                "3 rejected by the stream job (payload.name is a string, not an object: 3)", "reconciled");
        CliRun json = CliRun.of(concat("reconcile", "--batch-id", batch, "--json"));
        JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out().strip());
        assertThat(result.path("match").asBoolean()).isTrue();
        assertThat(result.path("rejected").path("reasons").path("payload.name is a string, not an object").asInt()).isEqualTo(3);
    }

    /** What the reconcile task of a run returned, as Airflow keeps it. */
    private static String reconcileOf(String runId) throws Exception {
        return api().get("/api/v2/dags/" + AirflowSettings.DAG_ID + "/dagRuns/" + encode(runId)
                + "/taskInstances/reconcile/xcomEntries/return_value").path("value").toString();
    }

    /** Airflow's REST API as the admin the stack created. */
    private static AirflowApi api() throws Exception {
        String credentials = Files.readString(HOME.resolve("airflow/admin-credentials"), StandardCharsets.UTF_8).trim();
        return new AirflowApi("http://127.0.0.1:" + AIRFLOW_PORT, "admin", credentials.substring("admin:".length()));
    }

    /** {@code airflow dags test} through the very launcher the DAG's tasks use, with the stack's environment. */
    private static Run dagsTest(String conf, String log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(HOME.resolve("airflow/bin/pipeline").toString(),
                "airflow", "dags", "test", AirflowSettings.DAG_ID, "-c", conf).redirectErrorStream(true);
        builder.environment().put("PIPELINE_HOME", HOME.toString());
        return Run.start(builder, HOME.resolve(log));
    }

    private static String batchOf(String output) {
        Matcher m = Pattern.compile("\\{\"batch_id\":\"([^\"]+)\",\"source\"").matcher(output);
        assertThat(m.find()).as("ingest's summary in:%n%s", output).isTrue();
        return m.group(1);
    }

    private static Settings settings() {
        List<String> args = new ArrayList<>();
        List<String> given = CliStack.command(WITH_AIRFLOW);
        for (int i = 0; i < given.size(); i += 2) {
            args.add(given.get(i) + "=" + given.get(i + 1));
        }
        return StackSettings.derived(Settings.of(StackSettings.ALL).args(args.toArray(String[]::new)).resolve());
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String[] concat(String... command) {
        return CliStack.command(WITH_AIRFLOW, command).toArray(String[]::new);
    }

    /** A child process whose output goes to a file the test reads while it runs. */
    private record Run(Process process, Path log) {

        static Run start(ProcessBuilder builder, Path log) throws Exception {
            Files.createDirectories(log.getParent());
            Process process = builder.redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new Run(process, log);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        int exitCode() {
            return process.exitValue();
        }

        void await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("Not finished in " + timeout.toMinutes() + " min:\n" + tail());
            }
        }

        void awaitOutput(Predicate<String> seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (seen.test(output())) {
                    return;
                }
                if (!process.isAlive()) {
                    fail("Exited with " + process.exitValue() + " before the expected output:\n" + tail());
                }
                Thread.sleep(1_000);
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("The expected output did not come in " + timeout.toMinutes() + " min:\n" + tail());
        }

        private String tail() {
            String text = output();
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        }
    }
}
