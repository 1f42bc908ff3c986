package dev.userpipeline.cli;

import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pipeline config}: every key, its value and where the value came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {
            "Lists every setting and where its value came from.",
            "",
            "For each key: its value, its origin (flag, environment, the running stack, default), its "
                    + "environment variable and its meaning."
        })
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = options.settings();
        int keyWidth = settings.declared().stream().mapToInt(s -> s.key().length()).max().orElse(3);
        int envWidth = settings.declared().stream().mapToInt(s -> s.env().length()).max().orElse(11);
        String row = "%-" + keyWidth + "s %-36s %-22s %-" + envWidth + "s %s%n";
        out.printf(row, "KEY", "VALUE", "FROM", "ENVIRONMENT", "MEANING");
        for (Setting<?> setting : settings.declared()) {
            // The text as given (a list shows as it is written, not as Java prints it).
            String value = setting.key().endsWith("password") ? "********" : settings.raw().getOrDefault(setting.key(), "");
            out.printf(row, setting.key(), value, settings.origin(setting), setting.env(), setting.description());
        }
        return 0;
    }
}
