package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowInstallation;
import java.nio.file.Path;
import java.util.List;

/** Airflow's triggerer: runs deferred tasks' triggers (deferrable sensors and operators). */
final class AirflowTriggererService extends AirflowProcessService {

    AirflowTriggererService(Settings settings, Path home, Path root, AirflowInstallation installation,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(settings, home, root, installation, "triggerer", airflowOff);
    }

    @Override
    public List<PortUse> ports() {
        return List.of();
    }

    /** Without its log server, which would listen on every interface; its logs are read from this disk. */
    @Override
    public List<String> command() {
        return List.of(installation().airflow().toString(), "triggerer", "--skip-serve-logs");
    }

    @Override
    public String address() {
        return "-";
    }

    @Override
    public String check() throws Exception {
        requireHealthy("triggerer");
        return "heartbeating";
    }
}
