package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Continuous ingestion: users from the chosen source into the landing table at a steady rate. */
final class IngestService extends JavaModuleService {

    static final String RUNNER = "dev.userpipeline.ingest.IngestRunner";

    private final Settings settings;
    private final java.util.function.Supplier<SourceChoice> source;

    IngestService(Settings settings, Path home, Path root, java.util.function.Supplier<SourceChoice> source) {
        super(root, home, "stages/2-ingest");
        this.settings = settings;
        this.source = source;
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
        List<String> args = new ArrayList<>();
        args.add(PostgresSettings.HOST.flag() + "=" + settings.get(PostgresSettings.HOST));
        args.add(PostgresSettings.PORT.flag() + "=" + settings.get(PostgresSettings.PORT));
        args.add(PostgresSettings.DATABASE.flag() + "=" + settings.get(PostgresSettings.DATABASE));
        args.add(PostgresSettings.USER.flag() + "=" + settings.get(PostgresSettings.USER));
        args.add(IngestSettings.SOURCE.flag() + "=" + source.get().url());
        args.add(IngestSettings.RATE.flag() + "=" + settings.get(IngestSettings.RATE));
        return javaCommand(RUNNER, args);
    }

    /** The password goes through the environment, not the command line that every user can read. */
    @Override
    public Map<String, String> environment() {
        return Map.of(PostgresSettings.PASSWORD.env(), settings.get(PostgresSettings.PASSWORD));
    }

    @Override
    public String check() throws Exception {
        String url = PostgresSettings.jdbcUrl(settings);
        try (Connection c = DriverManager.getConnection(url, settings.get(PostgresSettings.USER), settings.get(PostgresSettings.PASSWORD));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from ingest.users_raw")) {
            rs.next();
            return rs.getLong(1) + " users landed";
        }
    }
}
