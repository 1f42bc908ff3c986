package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import dev.userpipeline.offline.OfflineSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.source.RetryPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The offline randomuser-compatible source: where users come from when randomuser.me cannot be reached. */
final class OfflineSourceService extends JavaModuleService {

    static final String SERVER = "dev.userpipeline.offline.OfflineSourceServer";

    private final String host;
    private final int port;

    private final java.util.function.Supplier<dev.userpipeline.ingest.SourceChoice> source;

    OfflineSourceService(Settings settings, Path home, Path root, java.util.function.Supplier<dev.userpipeline.ingest.SourceChoice> source) {
        super(root, home, "platform/offline-source");
        this.source = source;
        this.host = settings.get(OfflineSettings.HOST);
        this.port = settings.get(OfflineSettings.PORT);
    }

    /** Only when it is the source users come from. */
    @Override
    public boolean enabled() {
        return source.get().label().equals("offline");
    }

    @Override
    public List<dev.userpipeline.config.Setting<?>> settings() {
        return OfflineSettings.ALL;
    }

    @Override
    public String name() {
        return "offline-source";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "HTTP", host, port, OfflineSettings.PORT));
    }

    @Override
    public String address() {
        return OfflineSettings.apiUrl(host, port);
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(SERVER, List.of());
    }

    @Override
    public String check() {
        RandomUserClient client = new RandomUserClient(URI.create(address()), Duration.ofSeconds(2), Duration.ofSeconds(5),
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        int users = client.fetch(RandomUserQuery.of(1, "health", 1)).users().size();
        if (users != 1) {
            throw new IllegalStateException("asked for 1 user, got " + users);
        }
        return "randomuser API 1.4 (offline)";
    }
}
