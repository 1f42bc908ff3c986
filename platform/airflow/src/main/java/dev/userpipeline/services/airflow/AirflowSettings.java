package dev.userpipeline.services.airflow;

import dev.userpipeline.config.Setting;
import java.util.List;

/** Every key of the Airflow processes and of the {@code user_automation} DAG they run. */
public final class AirflowSettings {

    public static final Setting<Boolean> ENABLED = Setting.bool("airflow.enabled", true,
            "Run Apache Airflow with the user_automation DAG (false: continuous ingestion feeds the pipeline instead)");
    public static final Setting<String> PYTHON = Setting.string("airflow.python", "python3",
            "Python 3.10 or newer that creates Airflow's virtualenv");
    public static final Setting<String> VENV = Setting.string("airflow.venv", "airflow/venv",
            "Airflow's virtualenv; a relative path is under the work directory");
    public static final Setting<String> HOST = Setting.string("airflow.host", "127.0.0.1",
            "Address of Airflow's API server (UI and REST API)");
    public static final Setting<Integer> PORT = Setting.port("airflow.port", 8080,
            "Port of Airflow's API server (UI and REST API)");
    public static final Setting<Integer> LOG_SERVER_PORT = Setting.port("airflow.log.server.port", 8793,
            "Port where the scheduler serves task logs to the UI");
    public static final Setting<Integer> TRIGGER_LOG_SERVER_PORT = Setting.port("airflow.trigger.log.server.port", 8794,
            "Port where the triggerer serves its logs to the UI");
    public static final Setting<String> DATABASE = Setting.string("airflow.database", "airflow",
            "PostgreSQL database of Airflow's metadata, in the pipeline's PostgreSQL");
    public static final Setting<Integer> PARALLELISM = Setting.integer("airflow.parallelism", 2, 1, 512,
            "Task instances Airflow runs at once (LocalExecutor worker processes)");
    public static final Setting<String> DAG_SCHEDULE = Setting.string("airflow.dag.schedule", "* * * * *",
            "Cron schedule of user_automation");
    public static final Setting<Integer> DAG_USERS = Setting.integer("airflow.dag.users", 1_000, 1, 1_000_000,
            "Users each user_automation run ingests, unless the run's parameters say otherwise");
    public static final Setting<Integer> DAG_AWAIT_SECONDS = Setting.seconds("airflow.dag.await.seconds", 300,
            "Seconds await_delivery waits for a batch to reach Cassandra, per try");
    public static final Setting<Boolean> DAG_PAUSED = Setting.bool("airflow.dag.paused", false,
            "Keep user_automation paused, so that nothing enters unasked (up --no-ingest sets it)");

    public static final List<Setting<?>> ALL = List.of(ENABLED, PYTHON, VENV, HOST, PORT, LOG_SERVER_PORT,
            TRIGGER_LOG_SERVER_PORT, DATABASE, PARALLELISM, DAG_SCHEDULE, DAG_USERS, DAG_AWAIT_SECONDS, DAG_PAUSED);

    /** The DAG's id, as {@code airflow/dags/user_automation.py} declares it. */
    public static final String DAG_ID = "user_automation";

    private AirflowSettings() {
    }
}
