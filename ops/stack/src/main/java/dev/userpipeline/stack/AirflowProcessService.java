package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowApi;
import dev.userpipeline.services.airflow.AirflowEnvironment;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One process of Apache Airflow ({@code airflow api-server}, {@code scheduler}, {@code dag-processor},
 * {@code triggerer}), run from the virtualenv the API server's preparation installs, configured
 * wholly through its environment.
 */
abstract class AirflowProcessService implements Service {

    protected final Settings settings;
    protected final Path home;
    protected final Path root;
    private final AirflowInstallation installation;
    private final String component;
    private final java.util.function.Supplier<java.util.Optional<String>> airflowOff;
    private AirflowApi api;

    AirflowProcessService(Settings settings, Path home, Path root, AirflowInstallation installation, String component,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        this.settings = settings;
        this.home = home;
        this.root = root;
        this.installation = installation;
        this.component = component;
        this.airflowOff = airflowOff;
    }

    /** Airflow runs unless it is turned off or this machine has no Python for it. */
    @Override
    public boolean enabled() {
        return airflowOff.get().isEmpty();
    }

    @Override
    public String name() {
        return "airflow-" + component;
    }

    @Override
    public List<String> dependsOn() {
        return List.of("airflow-api-server");
    }

    /** The one installation of the stack, shared by its Airflow services (it probes Python once). */
    protected AirflowInstallation installation() {
        return installation;
    }

    @Override
    public void prepare(Path log) throws Exception {
        if (!installation().installed()) {
            throw new StackException("Airflow is not installed in " + installation().venv() + "; airflow-api-server installs it");
        }
    }

    @Override
    public List<String> command() {
        return List.of(installation().airflow().toString(), component);
    }

    @Override
    public Map<String, String> environment() {
        return AirflowEnvironment.of(settings, home, root);
    }

    /** The REST API as the admin. */
    protected synchronized AirflowApi api() {
        if (api == null) {
            AirflowSecrets secrets = AirflowSecrets.load(AirflowEnvironment.airflowHome(home));
            api = new AirflowApi(AirflowEnvironment.apiUrl(settings), secrets.adminUser(), secrets.adminPassword());
        }
        return api;
    }

    /** This component's entry of {@code /api/v2/monitor/health}; throws unless it is healthy. */
    protected JsonNode requireHealthy(String key) throws Exception {
        JsonNode entry = api().health().path(key);
        String status = entry.path("status").asText("unknown");
        if (!"healthy".equals(status)) {
            throw new IllegalStateException(key.replace('_', '-') + " is " + status + " in Airflow's health report"
                    + (entry.has("latest_" + key + "_heartbeat") ? " (last heartbeat " + entry.path("latest_" + key + "_heartbeat").asText() + ")" : ""));
        }
        return entry;
    }

    /** Airflow's processes start children (log servers, executor workers); none may outlive the service. */
    @Override
    public boolean stop(ProcessHandle process, Duration timeout) {
        List<ProcessHandle> children = process.descendants().toList();
        boolean killed = ProcessStopper.terminate(process, timeout);
        stopLeftovers(children);
        return killed;
    }

    /** Children that outlived their Airflow process: each told, then killed after 10 s. */
    static void stopLeftovers(List<ProcessHandle> children) {
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                ProcessStopper.terminate(child, Duration.ofSeconds(10));
            }
        }
    }
}
