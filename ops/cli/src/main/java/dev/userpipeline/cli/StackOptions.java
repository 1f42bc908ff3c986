package dev.userpipeline.cli;

import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.RepoRoot;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every stack command shares: one per key of {@link StackSettings}, generated from the
 * key's declaration ({@code kafka.port} is {@code --kafka-port}), so a key is never declared twice.
 * Anything not given on the command line comes from the environment ({@code PIPELINE_...}), then from
 * what the running stack was started with, then from the key's default.
 */
final class StackOptions {

    @Option(names = "--set", paramLabel = "KEY=VALUE", order = 1000,
            description = "Any setting by key (see `pipeline config`), e.g. --set start.timeout=600.")
    Map<String, String> set = new LinkedHashMap<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Settings resolved;

    /**
     * Adds an option for every setting to a command that mixes these options in. They are accepted on every
     * stack command but listed by {@code pipeline config}, not by each command's help: a command's help shows
     * its own options, and the settings that belong to it ({@code ingest --rate}).
     */
    static void addSettingOptions(CommandSpec spec) {
        String own = "--" + spec.name() + "-";
        for (Setting<?> setting : StackSettings.ALL) {
            if (spec.findOption(setting.flag()) == null) {
                String fallback = setting == StackSettings.HOME ? ".pipeline in the checkout" : setting.defaultValue();
                boolean owned = setting.flag().startsWith(own);
                // On the command a key belongs to, its flag also comes without the prefix: ingest --rate.
                String[] names = owned
                        ? new String[] {"--" + setting.flag().substring(own.length()), setting.flag()}
                        : new String[] {setting.flag()};
                spec.addOption(OptionSpec.builder(names)
                        .paramLabel(setting.key().endsWith("port") ? "PORT" : "VALUE")
                        .type(String.class)
                        .hidden(!owned)
                        .description(setting.description() + " (env " + setting.env() + "; default " + fallback + ")")
                        .build());
            }
        }
        spec.usageMessage().footer(SETTINGS_FOOTER);
    }

    /** The line each stack command's help ends with. */
    static final String SETTINGS_FOOTER = "%nEvery stack setting is accepted too (--home DIR, --kafka-port 9092, --set KEY=VALUE, "
            + "PIPELINE_KEY=VALUE):%n`./pipeline config` lists them with their values.";

    Settings settings() {
        if (resolved == null) {
            resolved = resolve(System.getenv());
        }
        return resolved;
    }

    Settings resolve(Map<String, String> env) {
        Path root = RepoRoot.find();
        Path defaultHome = root.resolve(".pipeline");
        // The home decides where the saved layer is, so it is resolved on its own first.
        Settings homeOnly = builder(env, Map.of(), defaultHome).resolve();
        Map<String, String> saved;
        try {
            saved = Settings.load(Stack.savedSettings(homeOnly.get(StackSettings.HOME).toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved.remove(StackSettings.HOME.key());
        return StackSettings.derived(builder(env, saved, defaultHome).resolve());
    }

    private Settings.Builder builder(Map<String, String> env, Map<String, String> saved, Path defaultHome) {
        Settings.Builder builder = Settings.of(StackSettings.ALL)
                .defaultValue(StackSettings.HOME, defaultHome)
                .saved(saved, "the running stack")
                .env(env)
                .setAll(set);
        for (Setting<?> setting : StackSettings.ALL) {
            OptionSpec option = command.findOption(setting.flag());
            if (option != null && option.getValue() != null) {
                builder.set(setting, option.getValue());
            }
        }
        return builder;
    }

    Path root() {
        return RepoRoot.find();
    }

    /** What a benchmark runs against: these settings, this checkout, and a progress view on {@code out}. */
    dev.userpipeline.bench.BenchTarget benchTarget(java.io.PrintWriter out) {
        return new dev.userpipeline.bench.BenchTarget(settings(), root(), out, services -> new ProgressView(out, false, services));
    }

    Stack stack() {
        return new Stack(settings(), RepoRoot.find());
    }
}
