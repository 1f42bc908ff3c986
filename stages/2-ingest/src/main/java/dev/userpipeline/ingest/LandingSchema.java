package dev.userpipeline.ingest;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The landing schema {@code ingest}, brought to its latest version by Flyway's versioned migrations. */
public final class LandingSchema {

    public static final String SCHEMA = LandingTable.SCHEMA;

    private LandingSchema() {
    }

    /** Applies the migrations not yet applied; returns how many were. */
    public static int migrate(String jdbcUrl, String user, String password) {
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                // Through slf4j, which the pipeline's processes bind to nothing: a migration run is not news.
                .loggers("slf4j")
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
