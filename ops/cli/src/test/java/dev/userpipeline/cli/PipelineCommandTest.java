package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"up", "down", "status", "logs", "config"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: pipeline " + command).contains("--home");
    }

    @Test
    void theTopLevelHelpListsTheCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("up", "down", "status", "logs", "config");
    }

    @Test
    void everySettingHasAFlagOnEveryStackCommand(@TempDir Path home) {
        for (var setting : dev.userpipeline.stack.StackSettings.ALL) {
            if (setting == dev.userpipeline.stack.StackSettings.HOME) {
                continue;
            }
            boolean numeric = setting.defaultValue() != null && setting.defaultValue().matches("\\d+");
            boolean flag = "true".equals(setting.defaultValue()) || "false".equals(setting.defaultValue());
            boolean addresses = setting.defaultValue() != null && setting.defaultValue().matches("[\\w.]+:\\d+(,.*)?");
            String value = setting.key().endsWith("port") ? "12345" : numeric ? setting.defaultValue() : flag ? "true"
                    : addresses ? "127.0.0.1:12345" : accepts(setting, "value-x") ? "value-x" : setting.defaultValue();
            CliRun run = CliRun.of("config", "--home", home.toString(), setting.flag(), value);
            assertThat(run.exitCode()).as(run.err()).isZero();
            String shown = setting.key().endsWith("password") ? "\\*{8}" : value;
            assertThat(run.out()).containsPattern(java.util.regex.Pattern.quote(setting.key()) + "\\s+" + shown
                    + "\\s+flag " + setting.flag());
        }
    }

    /** Whether a setting takes this text (a choice takes only its own words). */
    private static boolean accepts(dev.userpipeline.config.Setting<?> setting, String raw) {
        try {
            setting.parse(raw, "test");
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    @Test
    void eachCommandsHelpShowsItsOwnOptionsAndPointsToConfigForTheRest() {
        CliRun bench = CliRun.of("bench", "--help");
        assertThat(bench.exitCode()).isZero();
        assertThat(bench.out().lines().count()).isLessThanOrEqualTo(30);
        assertThat(bench.out()).contains("--count", "--rates", "--no-record", "./pipeline config")
                .doesNotContain("--kafka-port=", "--airflow-dag-users");
        CliRun ingest = CliRun.of("ingest", "--help");
        assertThat(ingest.out()).contains("--rate", "--batch-size", "./pipeline config").doesNotContain("--cassandra-port=");
        // Hidden from help, still accepted.
        CliRun config = CliRun.of("config", "--kafka-port", "19092");
        assertThat(config.exitCode()).as(config.err()).isZero();
    }

    @Test
    void theSettingFlagsComeWithTheCommandRunOrAskedHelpOf() {
        assertThat(CliRun.of("help", "ingest").out()).contains("--rate", "--batch-size");
        CliRun trace = CliRun.of("trace", "--help");
        assertThat(trace.exitCode()).isZero();
        assertThat(trace.out()).startsWith("Usage: pipeline trace").contains("ID", "--json", "--timeout", "--home");
        CliRun benchStream = CliRun.of("bench", "stream", "--kafka-port", "19092", "--help");
        assertThat(benchStream.exitCode()).as(benchStream.err()).isZero();
    }

    @Test
    void aBadPortIsAUsageErrorThatNamesTheFix(@TempDir Path home) {
        CliRun run = CliRun.of("status", "--home", home.toString(), "--set", "kafka.port=ninety");
        assertThat(run.exitCode()).isEqualTo(FailureReporter.USAGE);
        assertThat(run.err()).contains("'ninety'", "kafka.port", "--kafka-port VALUE or PIPELINE_KAFKA_PORT=VALUE");
    }

    @Test
    void anUnknownServiceHasNoLogs(@TempDir Path home) {
        CliRun run = CliRun.of("logs", "--home", home.toString(), "zookeeper");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown service 'zookeeper'", "postgres, kafka, cassandra");
    }

    @Test
    void statusOfAStackThatIsNotRunningSaysSoWithItsExitCode(@TempDir Path home) {
        CliRun run = CliRun.of("status", "--home", home.toString());
        assertThat(run.exitCode()).isEqualTo(StatusCommand.NOT_ALL_HEALTHY);
        assertThat(run.out()).contains("postgres", "stopped", "kafka", "cassandra");
    }

    @Test
    void configShowsWhereEachValueCameFromAndHidesPasswords(@TempDir Path home) {
        CliRun run = CliRun.of("config", "--home", home.toString(), "--kafka-port", "19092");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("kafka\\.port\\s+19092\\s+flag --kafka-port\\s+PIPELINE_KAFKA_PORT");
        assertThat(run.out()).containsPattern("postgres\\.password\\s+\\*{8}");
        assertThat(run.out()).doesNotContain(" pipeline  flag");
    }

    @Test
    void upRefusesATakenPortBeforeStartingAnything(@TempDir Path home) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun run = CliRun.of("up", "--detach", "--home", home.toString(), "--kafka-port", Integer.toString(port),
                    "--postgres-port", Integer.toString(freePort()), "--kafka-controller-port", Integer.toString(freePort()),
                    "--cassandra-port", Integer.toString(freePort()), "--cassandra-storage-port", Integer.toString(freePort()));
            assertThat(run.exitCode()).isEqualTo(FailureReporter.PORT_IN_USE);
            assertThat(run.err()).contains("Port " + port, "kafka broker", "already in use",
                    "--kafka-port PORT or PIPELINE_KAFKA_PORT=PORT");
            assertThat(home.resolve("run/postgres.pid")).doesNotExist();
            assertThat(home.resolve("run/kafka.pid")).doesNotExist();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    @Test
    void anUnexpectedFailureIsOneLineWithWhereItsTraceWasKeptNeverTheTraceItself() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = PipelineCommand.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = new FailureReporter().handleExecutionException(
                new IllegalStateException("boom\n\tat somewhere.Deep(Deep.java:1)"), cli, null);
        assertThat(code).isEqualTo(FailureReporter.STACK_FAILED);
        assertThat(err.toString().strip().lines()).singleElement().asString()
                .contains("unexpected failure: IllegalStateException: boom", "The full trace is in ", "cli-errors.log");
        assertThat(err.toString()).doesNotContain("\tat ");
    }
}
