package dev.userpipeline.cli;

import dev.userpipeline.stack.RepoRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The second stack of a test run, the one the launcher starts as a user starts it: the cli module's tests
 * ({@code PipelineProcessIT} without Airflow, {@code AirflowIT} with it) use the same work directory and ports,
 * apart from the defaults and from the stack module's shared test stack.
 */
final class CliStack {

    static final Path ROOT = RepoRoot.find();
    static final Path HOME = ROOT.resolve("ops/cli/target/it-home");
    /**
     * Airflow's virtualenv, in the user's cache like Maven's repository: installed once per machine (about 80 s),
     * reused by every later run and clone as long as its fingerprint (pins and Python) matches.
     */
    static final Path AIRFLOW_VENV = Path.of(System.getProperty("user.home"), ".cache", "user-pipeline", "airflow-venv");
    static final int POSTGRES_PORT = 25432;
    static final int KAFKA_PORT = 29092;
    static final int CASSANDRA_PORT = 29042;
    static final int CONSOLE_PORT = 29021;
    static final int AIRFLOW_PORT = 28080;
    static final int[] PORTS = {POSTGRES_PORT, KAFKA_PORT, 29093, CASSANDRA_PORT, 27000, 28099, 28083, 24040, CONSOLE_PORT};

    static final List<String> ARGS = List.of("--home", HOME.toString(),
            "--postgres-port", Integer.toString(POSTGRES_PORT), "--kafka-port", Integer.toString(KAFKA_PORT),
            "--kafka-controller-port", "29093", "--cassandra-port", Integer.toString(CASSANDRA_PORT),
            "--cassandra-storage-port", "27000", "--offline-port", "28099", "--connect-port", "28083",
            "--stream-ui-port", "24040", "--console-port", Integer.toString(CONSOLE_PORT),
            "--airflow-port", Integer.toString(AIRFLOW_PORT), "--airflow-log-server-port", "28793",
            "--airflow-trigger-log-server-port", "28794", "--airflow-venv", AIRFLOW_VENV.toString(),
            "--ingest-source", "offline");

    private CliStack() {
    }

    /** A command with the stack's arguments, then {@code extra} (which win). */
    static List<String> command(List<String> extra, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(ARGS);
        all.addAll(extra);
        return all;
    }
}
