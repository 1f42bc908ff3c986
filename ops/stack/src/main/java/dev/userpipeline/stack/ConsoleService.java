package dev.userpipeline.stack;

import dev.userpipeline.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pipeline console: a web UI (and its JSON API) showing every stage of the flow, each service's health
 * and log, in the role Control Center plays for Kafka. It reads the stack the same way {@code pipeline status}
 * does, from the settings {@code up} saved in the work directory.
 */
final class ConsoleService extends JavaModuleService {

    static final String SERVER = "dev.userpipeline.console.ConsoleServer";

    private final Settings settings;
    private final Path root;
    private final String host;
    private final int port;

    ConsoleService(Settings settings, Path home, Path root) {
        super(root, home, "ops/console");
        this.root = root;
        this.host = settings.get(ConsoleSettings.HOST);
        this.port = settings.get(ConsoleSettings.PORT);
        this.settings = settings;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "HTTP", host, port, ConsoleSettings.PORT));
    }

    @Override
    public String address() {
        return ConsoleSettings.url(host, port);
    }

    @Override
    public boolean enabled() {
        return settings.get(ConsoleSettings.ENABLED);
    }

    /** Its own keys; the rest of the stack it reads from what up saved, so it follows a restarted stack. */
    @Override
    public List<dev.userpipeline.config.Setting<?>> settings() {
        return ConsoleSettings.PROCESS;
    }

    @Override
    public Map<dev.userpipeline.config.Setting<?>, String> placement() {
        return Map.of(StackSettings.HOME, home.toString());
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(SERVER, List.of("-Dpipeline.root=" + root), List.of());
    }

    @Override
    public String check() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create(address() + "api/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("\"ok\"")) {
            throw new IllegalStateException("GET " + address() + "api/health gave HTTP " + response.statusCode() + ": " + response.body());
        }
        return "web UI and JSON API (/api/status)";
    }
}
