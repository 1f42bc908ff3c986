package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import java.time.Duration;
import java.util.List;

/** Every key of the supervisor, the process of the stack that starts again a service that died. */
public final class SupervisorSettings {

    public static final Setting<Boolean> ENABLED = Setting.bool("supervisor.enabled", true,
            "Whether up runs the supervisor, which starts again any service of the stack that dies");
    public static final Setting<Integer> INTERVAL_SECONDS = Setting.integer("supervisor.interval.seconds", 2, 1, 60,
            "Seconds between two looks of the supervisor at every service's process");
    public static final Setting<Integer> RESTART_LIMIT = Setting.integer("supervisor.restart.limit", 5, 0, 1_000,
            "Restarts of one service within the restart window after which the supervisor gives up on it (0: never restart)");
    public static final Setting<Integer> RESTART_WINDOW_SECONDS = Setting.integer("supervisor.restart.window.seconds", 600, 10, 86_400,
            "Seconds over which a service's restarts count towards the limit");
    public static final Setting<Integer> BACKOFF_MAX_SECONDS = Setting.integer("supervisor.backoff.max.seconds", 60, 1, 3_600,
            "Longest wait before a restart: the first comes after 1 s, each later one waits twice as long, up to this");

    public static final List<Setting<?>> ALL = List.of(ENABLED, INTERVAL_SECONDS, RESTART_LIMIT, RESTART_WINDOW_SECONDS,
            BACKOFF_MAX_SECONDS);

    /** What the supervisor's process resolves from its environment; the rest of the stack it reads as up saved it. */
    public static final List<Setting<?>> PROCESS = List.of(StackSettings.HOME, INTERVAL_SECONDS, RESTART_LIMIT,
            RESTART_WINDOW_SECONDS, BACKOFF_MAX_SECONDS);

    private SupervisorSettings() {
    }

    /** The restart policy these settings describe. */
    public static RestartPolicy policy(Settings settings) {
        return new RestartPolicy(settings.get(RESTART_LIMIT), Duration.ofSeconds(settings.get(RESTART_WINDOW_SECONDS)),
                Duration.ofSeconds(1), Duration.ofSeconds(settings.get(BACKOFF_MAX_SECONDS)));
    }
}
