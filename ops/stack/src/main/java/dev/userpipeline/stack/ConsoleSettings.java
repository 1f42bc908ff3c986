package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;
import java.util.List;

/**
 * Every key of the pipeline console. Declared here, beside the stack that runs it, because the console's
 * own module reads the whole stack and so comes after it in the build.
 */
public final class ConsoleSettings {

    public static final Setting<Boolean> ENABLED = Setting.bool("console.enabled", true,
            "Whether up runs the pipeline console (web UI of every stage)");
    public static final Setting<String> HOST = Setting.string("console.host", "127.0.0.1",
            "Address the console's web server listens on");
    public static final Setting<Integer> PORT = Setting.port("console.port", 9021,
            "Port of the console's web UI and JSON API");
    public static final Setting<java.util.List<String>> ALLOWED_HOSTS = Setting.list("console.allowed.hosts", "",
            "Host names (besides loopback's and console.host) that a browser may call the console by; any other Host "
                    + "header is refused, so that a web page cannot reach the console by DNS rebinding");
    public static final Setting<Integer> REFRESH_SECONDS = Setting.integer("console.refresh.seconds", 5, 1, 300,
            "Seconds between two looks at the stack while someone watches the console");

    public static final List<Setting<?>> ALL = List.of(ENABLED, HOST, PORT, ALLOWED_HOSTS, REFRESH_SECONDS);

    /** What the console's process resolves from its environment: where the stack keeps its files, and its own address. */
    public static final List<Setting<?>> PROCESS = List.of(StackSettings.HOME, HOST, PORT, ALLOWED_HOSTS, REFRESH_SECONDS);

    private ConsoleSettings() {
    }

    /** Where a browser reaches the console. */
    public static String url(String host, int port) {
        return "http://" + host + ":" + port + "/";
    }
}
