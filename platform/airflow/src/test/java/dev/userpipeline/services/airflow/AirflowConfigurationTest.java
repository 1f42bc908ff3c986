package dev.userpipeline.services.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirflowConfigurationTest {

    private static Settings settings(String... args) {
        List<dev.userpipeline.config.Setting<?>> keys = new ArrayList<>(AirflowSettings.ALL);
        keys.addAll(PostgresSettings.ALL);
        return Settings.of(keys).args(args).resolve();
    }

    @Test
    void secretsAreGeneratedOnceAndReadableByTheOwnerOnly(@TempDir Path home) throws Exception {
        AirflowSecrets first = AirflowSecrets.load(home);
        AirflowSecrets again = AirflowSecrets.load(home);
        assertThat(first.newlyCreated()).isTrue();
        assertThat(again.newlyCreated()).isFalse();
        assertThat(again.adminPassword()).isEqualTo(first.adminPassword()).hasSize(20);
        assertThat(again.jwtSecret()).isEqualTo(first.jwtSecret());
        assertThat(Files.readString(home.resolve("admin-credentials")).trim()).isEqualTo("admin:" + first.adminPassword());
        assertThat(Files.readString(home.resolve("simple_auth_manager_passwords.json")))
                .contains("\"admin\": \"" + first.adminPassword() + "\"");
        for (String file : List.of("admin-credentials", "simple_auth_manager_passwords.json", "keys.properties")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file)))).isEqualTo("rw-------");
        }
        // A Fernet key is 32 bytes, URL-safe base64.
        assertThat(java.util.Base64.getUrlDecoder().decode(first.fernetKey())).hasSize(32);
    }

    @Test
    void theEnvironmentCarriesThePipelinesSettings(@TempDir Path home) {
        Settings settings = settings("--airflow-port=18080", "--postgres-port=15432", "--postgres-password=p@ss word");
        Map<String, String> env = AirflowEnvironment.of(settings, home, Path.of("/checkout"));
        assertThat(env).containsEntry("AIRFLOW_HOME", home.resolve("airflow").toString())
                .containsEntry("AIRFLOW__CORE__DAGS_FOLDER", "/checkout/airflow/dags")
                .containsEntry("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
                .containsEntry("AIRFLOW__API__PORT", "18080")
                .containsEntry("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://127.0.0.1:18080/execution/")
                .containsEntry("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql+psycopg2://pipeline:p%40ss%20word@127.0.0.1:15432/airflow")
                .containsEntry("PIPELINE_HOME", home.toString())
                .containsEntry("PIPELINE_CLI", home.resolve("airflow/bin/pipeline").toString())
                .containsEntry("PIPELINE_AIRFLOW_DAG_SCHEDULE", "* * * * *");
    }

    @Test
    void aMissingPythonIsReportedWithWhatToDo(@TempDir Path dir) {
        AirflowInstallation installation = new AirflowInstallation("no-such-python3", dir.resolve("venv"),
                dir.resolve("requirements.txt"), dir.resolve("constraints.txt"));
        assertThat(installation.unusable()).hasValueSatisfying(problem ->
                assertThat(problem).contains("no Python found as 'no-such-python3'", AirflowSettings.PYTHON.env()));
        assertThat(installation.installed()).isFalse();
    }
}
