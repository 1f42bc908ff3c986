package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Continuous ingestion: users from the chosen source into the landing table at a steady rate. */
final class IngestService extends JavaModuleService {

    static final String RUNNER = IngestRunner.class.getName();

    private final Settings settings;
    private final java.util.function.Supplier<SourceChoice> source;

    private final java.util.function.Supplier<java.util.Optional<String>> airflowOff;

    IngestService(Settings settings, Path home, Path root, java.util.function.Supplier<SourceChoice> source,
            java.util.function.Supplier<java.util.Optional<String>> airflowOff) {
        super(root, home, "stages/2-ingest");
        this.settings = settings;
        this.source = source;
        this.airflowOff = airflowOff;
    }

    /** Continuous ingestion feeds the pipeline at a rate when Airflow does not. */
    @Override
    public boolean enabled() {
        return settings.get(IngestSettings.RATE) > 0 && airflowOff.get().isPresent();
    }

    @Override
    public List<dev.userpipeline.config.Setting<?>> settings() {
        return IngestRunner.SETTINGS;
    }

    /** The source as up resolved it ({@code auto} probes randomuser.me once). */
    @Override
    public Map<dev.userpipeline.config.Setting<?>, String> placement() {
        return Map.of(IngestSettings.SOURCE, source.get().url().toString());
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public List<String> dependsOn() {
        return source.get().label().equals("offline") ? List.of("postgres", "offline-source") : List.of("postgres");
    }

    @Override
    public List<PortUse> ports() {
        return List.of();
    }

    @Override
    public String address() {
        return settings.get(IngestSettings.RATE) + " users/s from " + source.get().label();
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(RUNNER, List.of());
    }

    @Override
    public String check() throws Exception {
        String url = PostgresSettings.jdbcUrl(settings);
        try (Connection c = DriverManager.getConnection(url, settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from " + LandingTable.NAME)) {
            rs.next();
            return rs.getLong(1) + " users landed";
        }
    }
}
