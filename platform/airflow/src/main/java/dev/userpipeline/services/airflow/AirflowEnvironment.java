package dev.userpipeline.services.airflow;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Airflow's whole configuration, as the {@code AIRFLOW__SECTION__KEY} environment every Airflow
 * process of the stack (and {@code pipeline airflow ...}) gets, so that no {@code airflow.cfg} can
 * drift from the pipeline's settings.
 */
public final class AirflowEnvironment {

    private AirflowEnvironment() {
    }

    /** {@code AIRFLOW_HOME}: logs, the generated secrets and the login live here. */
    public static Path airflowHome(Path home) {
        return home.resolve("airflow");
    }

    /** The launcher Airflow's tasks run the pipeline CLI with (written by the stack when Airflow starts). */
    public static Path cliLauncher(Path home) {
        return airflowHome(home).resolve("bin/pipeline");
    }

    public static String apiUrl(Settings settings) {
        return "http://" + settings.get(AirflowSettings.HOST) + ":" + settings.get(AirflowSettings.PORT);
    }

    public static Map<String, String> of(Settings settings, Path home, Path root) {
        Path airflowHome = airflowHome(home);
        AirflowSecrets secrets = AirflowSecrets.load(airflowHome);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AIRFLOW_HOME", airflowHome.toString());
        env.put("AIRFLOW__CORE__DAGS_FOLDER", root.resolve("airflow/dags").toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("AIRFLOW__CORE__EXECUTOR", "LocalExecutor");
        env.put("AIRFLOW__CORE__PARALLELISM", Integer.toString(settings.get(AirflowSettings.PARALLELISM)));
        // The stack pauses or unpauses user_automation explicitly once it is parsed; any other DAG waits for a person.
        env.put("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "True");
        env.put("AIRFLOW__CORE__FERNET_KEY", secrets.fernetKey());
        env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", secrets.adminUser() + ":admin");
        env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", AirflowSecrets.passwordsFile(airflowHome).toString());
        env.put("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", apiUrl(settings) + "/execution/");
        env.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", metadataUrl(settings));
        env.put("AIRFLOW__API__HOST", settings.get(AirflowSettings.HOST));
        env.put("AIRFLOW__API__PORT", Integer.toString(settings.get(AirflowSettings.PORT)));
        env.put("AIRFLOW__API__BASE_URL", apiUrl(settings));
        env.put("AIRFLOW__API__WORKERS", "1");
        env.put("AIRFLOW__API__SECRET_KEY", secrets.apiSecretKey());
        env.put("AIRFLOW__API_AUTH__JWT_SECRET", secrets.jwtSecret());
        env.put("AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT", Integer.toString(settings.get(AirflowSettings.LOG_SERVER_PORT)));
        env.put("AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT", Integer.toString(settings.get(AirflowSettings.TRIGGER_LOG_SERVER_PORT)));
        // What the DAG's tasks need to find this stack: its CLI, its work directory (and so its saved settings).
        env.put("PIPELINE_CLI", cliLauncher(home).toString());
        env.put("PIPELINE_HOME", home.toString());
        env.put(AirflowSettings.DAG_SCHEDULE.env(), settings.get(AirflowSettings.DAG_SCHEDULE));
        env.put(AirflowSettings.DAG_USERS.env(), Integer.toString(settings.get(AirflowSettings.DAG_USERS)));
        env.put(AirflowSettings.DAG_AWAIT_SECONDS.env(), Integer.toString(settings.get(AirflowSettings.DAG_AWAIT_SECONDS)));
        return env;
    }

    /** SQLAlchemy's URL of the metadata database; user and password are URL-encoded, as SQLAlchemy expects. */
    static String metadataUrl(Settings settings) {
        return "postgresql+psycopg2://" + encode(settings.get(PostgresSettings.USER)) + ":" + encode(settings.get(PostgresSettings.PASSWORD))
                + "@" + settings.get(PostgresSettings.HOST) + ":" + settings.get(PostgresSettings.PORT)
                + "/" + encode(settings.get(AirflowSettings.DATABASE));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
