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
final class OfflineSourceService implements Service {

    static final String SERVER = "dev.userpipeline.offline.OfflineSourceServer";

    private final Path root;
    private final Path home;
    private final String host;
    private final int port;
    private ServiceModule module;

    OfflineSourceService(Settings settings, Path home, Path root) {
        this.root = root;
        this.home = home;
        this.host = settings.get(OfflineSettings.HOST);
        this.port = settings.get(OfflineSettings.PORT);
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

    private synchronized ServiceModule module() {
        if (module == null) {
            module = ServiceModule.locate(root, "offline-source");
        }
        return module;
    }

    @Override
    public void prepare(Path log) {
        module();
    }

    @Override
    public List<String> command() throws Exception {
        return module().javaCommand(SERVER, List.of(OfflineSettings.HOST.flag() + "=" + host, OfflineSettings.PORT.flag() + "=" + port),
                home.resolve("run/offline-source.classpath"));
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
