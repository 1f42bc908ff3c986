package dev.userpipeline.config;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * How every process of the pipeline resolves its settings: its declared keys from its environment
 * ({@code PIPELINE_...}) and its arguments ({@code --key=value}), nothing else. So the same entrypoint runs
 * embedded (the stack hands each child the values of the keys it declares), in a container and against a
 * cluster.
 *
 * <p>Two arguments are answered instead of running: {@code --help} prints the keys, and
 * {@code --print-settings} prints what was resolved, one {@code key=value} line per key, so that anyone
 * (and a test) can see what a process would run with.
 */
public final class ProcessSettings {

    /** The argument that prints the resolved settings and exits. */
    public static final String PRINT = "--print-settings";

    private ProcessSettings() {
    }

    /**
     * Resolves {@code declared} from the environment and the arguments; answers {@code --help} and
     * {@link #PRINT}, and refuses a bad value with its message, each by exiting.
     */
    public static Settings resolve(String program, List<? extends Setting<?>> declared, String[] args) {
        if (Settings.asksForHelp(args)) {
            System.out.print(Settings.usage(program, declared));
            System.out.println("  " + PRINT + "  print the resolved settings, key=value, and exit");
            System.exit(0);
        }
        boolean print = List.of(args).contains(PRINT);
        String[] rest = List.of(args).stream().filter(a -> !a.equals(PRINT)).toArray(String[]::new);
        Settings settings;
        try {
            settings = resolve(declared, System.getenv(), rest);
        } catch (InvalidSettingException e) {
            System.err.println("error: " + program + ": " + e.getMessage());
            System.exit(2);
            throw e;
        }
        if (print) {
            print(settings, System.out);
            System.exit(0);
        }
        return settings;
    }

    /** The same resolution, without exits: environment first, arguments over it. */
    public static Settings resolve(List<? extends Setting<?>> declared, Map<String, String> env, String... args) {
        return Settings.of(declared).env(env).args(args).resolve();
    }

    /** One {@code key=value} line per declared key, in declaration order; a password shows as {@code ***}. */
    public static void print(Settings settings, PrintStream out) {
        for (Setting<?> setting : settings.declared()) {
            String raw = settings.raw().get(setting.key());
            out.println(setting.key() + "=" + shown(setting, raw));
        }
    }

    /** A value as {@link #print} shows it: a secret as {@code ***} and a digest that tells two values apart. */
    public static String shown(Setting<?> setting, String raw) {
        return setting.secret() ? "***" + digest(raw) : raw;
    }

    /** A password is never printed; a digest still shows whether two values are the same. */
    static String digest(String raw) {
        if (raw == null) {
            return "";
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
