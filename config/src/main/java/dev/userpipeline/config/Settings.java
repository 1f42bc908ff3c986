package dev.userpipeline.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Resolved values of a set of declared {@link Setting}s.
 *
 * <p>Precedence, highest first: explicit values (command-line flags), environment variables, a saved
 * layer (what a previous {@code up} ran with), then each key's default. Every declared key is parsed
 * and validated at construction, so a bad value fails before anything starts.
 */
public final class Settings {

    /** One resolved value and where it came from; a derived value follows from others and is not saved. */
    public record Value(Object value, String raw, String origin, boolean derived) {
        Value(Object value, String raw, String origin) {
            this(value, raw, origin, false);
        }
    }

    private final Map<String, Value> values;
    private final List<Setting<?>> declared;

    private Settings(List<Setting<?>> declared, Map<String, Value> values) {
        this.declared = declared;
        this.values = values;
    }

    /** True when a program's arguments ask for its usage rather than for work. */
    public static boolean asksForHelp(String[] args) {
        return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
    }

    /** A program's usage: one line per key, with its flag, meaning, default and environment variable. */
    public static String usage(String program, Collection<? extends Setting<?>> declared) {
        int width = declared.stream().mapToInt(s -> s.flag().length()).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder("Usage: " + program + " [--key=value ...]\n");
        for (Setting<?> s : declared) {
            text.append(String.format(java.util.Locale.ROOT, "  %-" + width + "s%s (default %s, env %s)%n",
                    s.flag(), s.description(), s.defaultValue(), s.env()));
        }
        return text.toString();
    }

    /** Starts a resolution of the given keys. */
    public static Builder of(Collection<? extends Setting<?>> declared) {
        return new Builder(List.copyOf(declared));
    }

    /** A copy with one key set to another value, e.g. what an {@code auto} setting was resolved to. */
    public Settings with(Setting<?> setting, String raw, String origin) {
        Map<String, Value> copy = new LinkedHashMap<>(values);
        copy.put(setting.key(), new Value(setting.parse(raw, origin), raw, origin));
        return new Settings(declared, copy);
    }

    /**
     * A copy where a key that was left to its default follows from other keys, e.g. Kafka's address from the
     * embedded broker's port. A key given anywhere keeps its value; a derived value is not saved, so it
     * follows those keys again next time.
     */
    public Settings derive(Setting<?> setting, String raw, String origin) {
        if (!values.get(setting.key()).origin().equals("default")) {
            return this;
        }
        Map<String, Value> copy = new LinkedHashMap<>(values);
        copy.put(setting.key(), new Value(setting.parse(raw, origin), raw, origin, true));
        return new Settings(declared, copy);
    }

    /** The value of a key. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Value value = values.get(setting.key());
        if (value == null) {
            throw new IllegalArgumentException("Setting " + setting.key() + " is not declared in this configuration");
        }
        if (value.value() == null) {
            throw new InvalidSettingException(setting.key() + " has no value and no default: set it with "
                    + setting.howToChange("VALUE") + ".");
        }
        return (T) value.value();
    }

    /** Where the value of a key came from: {@code default}, {@code flag --kafka-port}, {@code env ...}. */
    public String origin(Setting<?> setting) {
        return values.get(setting.key()).origin();
    }

    /** The declared keys, in declaration order. */
    public List<Setting<?>> declared() {
        return declared;
    }

    /** The raw value of each key, for saving or printing. */
    public Map<String, String> raw() {
        Map<String, String> raw = new TreeMap<>();
        values.forEach((key, value) -> {
            if (value.raw() != null) {
                raw.put(key, value.raw());
            }
        });
        return raw;
    }

    /** Writes the raw values as a properties file, so that later commands find what {@code up} used. */
    public void save(Path file) throws IOException {
        Properties properties = new Properties();
        values.forEach((key, value) -> {
            if (value.raw() != null && !value.derived()) {
                properties.put(key, value.raw());
            }
        });
        // It holds the database password: readable by its owner only, from the moment it exists.
        java.io.StringWriter text = new java.io.StringWriter();
        properties.store(text, "Settings the stack was started with");
        OwnerOnlyFiles.write(file, text.toString());
    }

    /** Reads a file written by {@link #save}; an absent file is an empty layer. */
    public static Map<String, String> load(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return map;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    /** Collects the layers, then {@link #resolve()}s. */
    public static final class Builder {
        private final List<Setting<?>> declared;
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private Map<String, String> env = Map.of();
        private Map<String, String> saved = Map.of();
        private String savedOrigin = "saved";
        private final Map<String, String> defaults = new LinkedHashMap<>();

        private Builder(List<Setting<?>> declared) {
            this.declared = declared;
        }

        /** An explicit value (a command-line flag); {@code null} values are ignored. */
        public Builder set(Setting<?> setting, Object value) {
            if (value != null) {
                explicit.put(setting.key(), value.toString());
            }
            return this;
        }

        /** Explicit values by key, e.g. from {@code --set key=value}; unknown keys are refused. */
        public Builder setAll(Map<String, String> byKey) {
            byKey.forEach((key, value) -> {
                if (declared.stream().noneMatch(s -> s.key().equals(key))) {
                    throw new InvalidSettingException("Unknown setting '" + key + "'. Known settings: "
                            + declared.stream().map(Setting::key).toList());
                }
                explicit.put(key, value);
            });
            return this;
        }

        /**
         * Explicit values from program arguments of the form {@code --kafka-port=9092} or
         * {@code --kafka-port 9092}; an argument that names no declared key is refused.
         */
        public Builder args(String... args) {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                Setting<?> setting = declared.stream().filter(s -> s.flag().equals(flag)).findFirst()
                        .orElseThrow(() -> new InvalidSettingException("Unknown argument '" + arg + "'. Known: "
                                + declared.stream().map(Setting::flag).toList()));
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new InvalidSettingException("Argument " + flag + " needs a value");
                }
                explicit.put(setting.key(), value);
            }
            return this;
        }

        /** Replaces a key's declared default, e.g. with one that depends on where the program runs. */
        public Builder defaultValue(Setting<?> setting, Object value) {
            defaults.put(setting.key(), value.toString());
            return this;
        }

        public Builder env(Map<String, String> environment) {
            this.env = Map.copyOf(environment);
            return this;
        }

        public Builder saved(Map<String, String> savedValues, String origin) {
            this.saved = Map.copyOf(savedValues);
            this.savedOrigin = origin;
            return this;
        }

        public Settings resolve() {
            Map<String, Value> values = new LinkedHashMap<>();
            for (Setting<?> setting : declared) {
                String raw;
                String origin;
                if (explicit.containsKey(setting.key())) {
                    raw = explicit.get(setting.key());
                    origin = "flag " + setting.flag();
                } else if (env.containsKey(setting.env())) {
                    raw = env.get(setting.env());
                    origin = "environment " + setting.env();
                } else if (saved.containsKey(setting.key())) {
                    raw = saved.get(setting.key());
                    origin = savedOrigin;
                } else {
                    raw = defaults.getOrDefault(setting.key(), setting.defaultValue());
                    origin = "default";
                }
                Object value = raw == null ? null : setting.parse(raw, origin);
                values.put(setting.key(), new Value(value, raw, origin));
            }
            return new Settings(declared, values);
        }
    }
}
