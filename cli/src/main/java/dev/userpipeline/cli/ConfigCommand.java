package dev.userpipeline.cli;

import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
        out.printf("%-24s %-36s %-22s %-34s %s%n", "KEY", "VALUE", "FROM", "ENVIRONMENT", "MEANING");
        for (Setting<?> setting : settings.declared()) {
            String value = setting.key().endsWith("password") ? "********" : String.valueOf(settings.get(setting));
            out.printf("%-24s %-36s %-22s %-34s %s%n", setting.key(), value, settings.origin(setting), setting.env(),
                    setting.description());
        }
        return 0;
    }
}
