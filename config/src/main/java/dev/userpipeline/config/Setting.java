package dev.userpipeline.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name, type, default, validation and a one-line description.
 *
 * <p>A key {@code kafka.port} is read from the command-line flag {@code --kafka-port} and from the
 * environment variable {@code PIPELINE_KAFKA_PORT}, so that the same programs run embedded and
 * against external clusters without code changes.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

    private final String key;
    private final String description;
    private final String expected;
    private final Function<String, T> parser;
    private final String defaultValue;
    private final boolean secret;

    private Setting(String key, String description, String expected, Function<String, T> parser, String defaultValue) {
        this(key, description, expected, parser, defaultValue, false);
    }

    private Setting(String key, String description, String expected, Function<String, T> parser, String defaultValue,
            boolean secret) {
        if (!key.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*")) {
            throw new IllegalArgumentException("Setting keys are dotted lower-case words, not '" + key + "'");
        }
        this.key = key;
        this.description = Objects.requireNonNull(description);
        this.expected = expected;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.secret = secret;
    }

    /** A TCP port, 1 to 65535. */
    public static Setting<Integer> port(String key, int defaultPort, String description) {
        return new Setting<>(key, description, "a TCP port from 1 to 65535", raw -> {
            int port = Integer.parseInt(raw.trim());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("out of range");
            }
            return port;
        }, Integer.toString(defaultPort));
    }

    /** A non-empty string. */
    public static Setting<String> string(String key, String defaultValue, String description) {
        return new Setting<>(key, description, "a non-empty text", raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("empty");
            }
            return raw;
        }, defaultValue);
    }

    /** A text that may be left empty, which then means "not set" (the description says what follows). */
    public static Setting<String> optional(String key, String description) {
        return new Setting<>(key, description, "a text, or empty", String::strip, "");
    }

    /** One of a few words, e.g. a mode. */
    public static Setting<String> choice(String key, String defaultValue, java.util.List<String> choices, String description) {
        if (!choices.contains(defaultValue)) {
            throw new IllegalArgumentException(key + "'s default " + defaultValue + " is not one of " + choices);
        }
        return new Setting<>(key, description, "one of " + String.join(", ", choices), raw -> {
            String word = raw.strip().toLowerCase(Locale.ROOT);
            if (!choices.contains(word)) {
                throw new IllegalArgumentException("not one of them");
            }
            return word;
        }, defaultValue);
    }

    /** A non-empty secret, e.g. a password: handed to processes through the environment only, never printed by them. */
    public static Setting<String> secret(String key, String defaultValue, String description) {
        Setting<String> text = string(key, defaultValue, description);
        return new Setting<>(key, description, text.expected, text.parser, defaultValue, true);
    }

    /** A whole number within bounds. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(key, description, "a whole number from " + min + " to " + max, raw -> {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, Integer.toString(defaultValue));
    }

    /** A file-system path; relative paths are kept relative to the working directory. */
    public static Setting<Path> path(String key, String defaultValue, String description) {
        return new Setting<>(key, description, "a file-system path", raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("empty");
            }
            return Path.of(raw.trim());
        }, defaultValue);
    }

    /** A yes/no switch: {@code true}/{@code false} (also {@code yes}/{@code no}, {@code 1}/{@code 0}). */
    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, description, "true or false", raw -> switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a switch");
        }, Boolean.toString(defaultValue));
    }

    /** A comma-separated list of words, possibly empty. */
    public static Setting<java.util.List<String>> list(String key, String defaultValue, String description) {
        return new Setting<>(key, description, "a comma-separated list", raw -> java.util.Arrays.stream(raw.split(","))
                .map(String::strip).filter(item -> !item.isEmpty()).toList(), defaultValue);
    }

    /**
     * Where a service is reached: a comma-separated list of {@code host:port}, e.g. a Kafka cluster's
     * brokers. The value is kept as written, without spaces, since clients take it as one string.
     */
    public static Setting<String> addresses(String key, String defaultValue, String description) {
        return new Setting<>(key, description, "host:port[,host:port...]", raw -> {
            java.util.List<String> each = java.util.Arrays.stream(raw.split(",", -1)).map(String::strip).toList();
            if (each.isEmpty() || each.stream().anyMatch(a -> !a.matches("[A-Za-z0-9_.\\-]+:[0-9]{1,5}")
                    || Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)) > 65535)) {
                throw new IllegalArgumentException("not a list of addresses");
            }
            return String.join(",", each);
        }, defaultValue);
    }

    /** A duration in whole seconds. */
    public static Setting<Integer> seconds(String key, int defaultSeconds, String description) {
        return integer(key, defaultSeconds, 1, 86_400, description);
    }

    public String key() {
        return key;
    }

    /** True for a password or key: it travels by environment variable only. */
    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }

    /** The default as text, or {@code null} when the key has none and must be given. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The environment variable that sets this key: {@code kafka.port} is {@code PIPELINE_KAFKA_PORT}. */
    public String env() {
        return "PIPELINE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The command-line flag that sets this key: {@code kafka.port} is {@code --kafka-port}. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    /** Where to change this key, for messages: {@code --kafka-port N or PIPELINE_KAFKA_PORT=N}. */
    public String howToChange(String placeholder) {
        return flag() + " " + placeholder + " or " + env() + "=" + placeholder;
    }

    /**
     * Parses a raw value.
     *
     * @throws InvalidSettingException naming the key, the value, where it came from and what is expected
     */
    public T parse(String raw, String origin) {
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(
                    "Invalid value '" + raw + "' for " + key + " (from " + origin + "): expected " + expected
                            + ". Set it with " + howToChange("VALUE") + ".");
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
