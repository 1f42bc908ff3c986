package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.services.airflow.AirflowSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The services of the pipeline, in the order a user record meets them: the platform first, then the
 * stages, then what orchestrates and watches them. Each service says itself whether it runs, what it
 * needs first and which settings its process reads; the {@link Stack} starts whatever this list holds.
 * A new service is one adapter class and one line here.
 */
final class PipelineServices {

    private final Settings settings;
    private final List<Service> services;
    private final AirflowInstallation airflow;
    private SourceChoice source;
    private Optional<String> airflowOff;

    PipelineServices(Settings settings, Path home, Path root) {
        this.settings = settings;
        this.airflow = AirflowInstallation.of(settings, home, root);
        this.services = List.of(
                new PostgresService(settings, home),
                new KafkaService(settings, home, root),
                new CassandraService(settings, home, root),
                new ConnectService(settings, home, root),
                new OfflineSourceService(settings, home, root, this::source),
                new IngestService(settings, home, root, this::source, this::airflowOff),
                new SparkMasterService(settings, home, root),
                new SparkWorkerService(settings, home, root),
                new StreamService(settings, home, root),
                new AirflowApiServerService(settings, home, root, airflow, this::airflowOff),
                new AirflowSchedulerService(settings, home, root, airflow, this::airflowOff),
                new AirflowDagProcessorService(settings, home, root, airflow, this::airflowOff),
                new AirflowTriggererService(settings, home, root, airflow, this::airflowOff),
                new ConsoleService(settings, home, root),
                new SupervisorService(settings, home, root, this::services));
    }

    List<Service> services() {
        return services;
    }

    /** Where users come from; {@code auto} is resolved once (a probe of randomuser.me) and remembered by up. */
    synchronized SourceChoice source() {
        if (source == null) {
            source = SourceChoice.resolve(settings);
        }
        return source;
    }

    /** The settings with {@code ingest.source} as resolved, so that later commands use the same source. */
    Settings withResolvedSource(Settings current) {
        SourceChoice chosen = source();
        return current.with(IngestSettings.SOURCE, chosen.label().equals("offline") || chosen.label().equals("randomuser")
                ? chosen.label() : chosen.url().toString(), "resolved by up (" + chosen.reason() + ")");
    }

    /** Why Airflow is not part of this stack, or empty when it runs. */
    synchronized Optional<String> airflowOff() {
        if (airflowOff == null) {
            airflowOff = !settings.get(AirflowSettings.ENABLED)
                    ? Optional.of("turned off (" + settings.origin(AirflowSettings.ENABLED) + ")")
                    : settings.get(StackSettings.EXTERNAL) ? Optional.empty() : airflow.unusable();
        }
        return airflowOff;
    }
}
