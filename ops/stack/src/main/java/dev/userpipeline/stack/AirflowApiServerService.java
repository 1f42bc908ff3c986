package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowEnvironment;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSecrets;
import dev.userpipeline.services.airflow.AirflowSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Airflow's API server: the UI and the REST API on :8080, and the execution API its task runners
 * report to. Its preparation does what every Airflow process needs once: the virtualenv, the
 * secrets and login, the launcher tasks run the pipeline CLI with, and {@code airflow db migrate}.
 */
final class AirflowApiServerService extends AirflowProcessService {

    static final String CLI_MAIN = "dev.userpipeline.cli.PipelineCommand";

    private volatile String firstLogin;

    AirflowApiServerService(Settings settings, Path home, Path root, AirflowInstallation installation,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(settings, home, root, installation, "api-server", airflowOff);
    }

    @Override
    public List<String> dependsOn() {
        return List.of("postgres");
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "UI and REST API", settings.get(AirflowSettings.HOST), settings.get(AirflowSettings.PORT),
                AirflowSettings.PORT));
    }

    @Override
    public String address() {
        return AirflowEnvironment.apiUrl(settings);
    }

    @Override
    public void prepare(Path log) throws Exception {
        prepare(log, message -> { });
    }

    @Override
    public void prepare(Path log, Consumer<String> note) throws Exception {
        AirflowInstallation installation = installation();
        if (!installation.installed()) {
            note.accept("installing Apache Airflow from PyPI into " + installation.venv()
                    + " (once; a minute or two; pip's output goes to " + log + ")");
            long begin = System.nanoTime();
            installation.ensureInstalled(log);
            note.accept(String.format(java.util.Locale.ROOT, "Airflow installed in %.0f s", (System.nanoTime() - begin) / 1e9));
        }
        AirflowSecrets secrets = AirflowSecrets.load(AirflowEnvironment.airflowHome(home));
        if (secrets.newlyCreated()) {
            firstLogin = secrets.adminUser() + " / " + secrets.adminPassword();
        }
        writeCliLauncher();
        migrate(log);
    }

    /**
     * Tasks run the CLI from this checkout's build directly: the {@code ./pipeline} script would
     * rebuild a changed checkout in the middle of a task.
     */
    private void writeCliLauncher() throws IOException {
        ServiceModule cli = ServiceModule.locate(root, "ops/cli");
        List<String> command = cli.javaCommand(CLI_MAIN, List.of("-Dpipeline.root=" + root), List.of(),
                home.resolve("run/airflow-task-cli.classpath"));
        StringBuilder script = new StringBuilder("#!/bin/sh\n# The pipeline CLI for Airflow's tasks; written by `pipeline up`.\nexec");
        for (String arg : command) {
            script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        script.append(" \"$@\"\n");
        Path launcher = AirflowEnvironment.cliLauncher(home);
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Creates or upgrades Airflow's tables; idempotent and quick when they are current. */
    private void migrate(Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(installation().airflow().toString(), "db", "migrate"));
        Files.writeString(log, "---- airflow db migrate" + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment());
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new StackException("airflow db migrate did not finish in 10 minutes (log: " + log + ")");
        }
        if (process.exitValue() != 0) {
            throw new StackException("airflow db migrate failed with exit code " + process.exitValue()
                    + "; is database " + settings.get(AirflowSettings.DATABASE) + " reachable? (log: " + log + ")");
        }
    }

    @Override
    public String check() throws Exception {
        requireHealthy("metadatabase");
        if (settings.get(StackSettings.EXTERNAL)) {
            // Its login is not kept here: the health report, which needs none, is what can be asked.
            return "Airflow, metadata database healthy, UI " + address();
        }
        JsonNode version = api().get("/api/v2/version");
        String login = firstLogin;
        firstLogin = null;
        Path credentials = AirflowEnvironment.airflowHome(home).resolve("admin-credentials");
        return "Airflow " + version.path("version").asText() + ", UI " + address()
                + (login != null ? ", login " + login + " (shown once; kept in " + credentials + ")" : ", login in " + credentials);
    }
}
