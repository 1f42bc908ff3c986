package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link Supervisor}'s process: started after every other service and stopped before them, so it never
 * takes a start or a stop of {@code up} and {@code down} for a death.
 */
final class SupervisorService extends JavaModuleService {

    static final String NAME = "supervisor";

    private final Settings settings;
    private final Supplier<List<Service>> others;

    SupervisorService(Settings settings, Path home, Path root, Supplier<List<Service>> others) {
        super(root, home, "ops/stack");
        this.settings = settings;
        this.others = others;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return settings.get(SupervisorSettings.ENABLED) && !settings.get(StackSettings.EXTERNAL);
    }

    @Override
    public List<String> dependsOn() {
        return others.get().stream().filter(s -> s != this && s.enabled()).map(Service::name).toList();
    }

    @Override
    public List<Setting<?>> settings() {
        return SupervisorSettings.PROCESS;
    }

    @Override
    public Map<Setting<?>, String> placement() {
        return Map.of(StackSettings.HOME, home.toString());
    }

    @Override
    public List<PortUse> ports() {
        return List.of();
    }

    @Override
    public String address() {
        return "-";
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand(Supervisor.class.getName(), List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), List.of());
    }

    @Override
    public String check() throws Exception {
        Path beat = Supervisor.heartbeatFile(home);
        if (!Files.exists(beat)) {
            throw new IllegalStateException("no heartbeat yet");
        }
        Duration age = Duration.between(Files.getLastModifiedTime(beat).toInstant(), Instant.now());
        Duration limit = Duration.ofSeconds(3L * settings.get(SupervisorSettings.INTERVAL_SECONDS) + 5);
        if (age.compareTo(limit) > 0) {
            throw new IllegalStateException("its heartbeat is " + age.toSeconds() + " s old");
        }
        return "watching " + (dependsOn().size()) + " services; at most " + settings.get(SupervisorSettings.RESTART_LIMIT)
                + " restarts of one within " + RestartPolicy.describe(Duration.ofSeconds(settings.get(SupervisorSettings.RESTART_WINDOW_SECONDS)));
    }
}
