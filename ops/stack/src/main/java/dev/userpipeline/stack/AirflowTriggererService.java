package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSettings;
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
        return List.of(new PortUse(name(), "trigger log server", "0.0.0.0", settings.get(AirflowSettings.TRIGGER_LOG_SERVER_PORT),
                AirflowSettings.TRIGGER_LOG_SERVER_PORT));
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
