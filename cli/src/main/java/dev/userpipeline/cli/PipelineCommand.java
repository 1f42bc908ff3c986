package dev.userpipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pipeline} command; {@code ./pipeline} at the checkout's root runs it. */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        versionProvider = PipelineVersion.class,
        description = {
            "A real-time user-data pipeline: randomuser.me -> PostgreSQL -> Debezium -> Kafka -> Spark -> Cassandra.",
            "Every service runs as its own process on this machine, with data and logs under one work directory."
        },
        subcommands = {
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            IngestCommand.class,
            BenchCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PipelineCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's error handling: messages, not stack traces. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PipelineCommand());
        cli.getSubcommands().values().stream()
                .filter(sub -> sub.getCommandSpec().mixins().values().stream()
                        .anyMatch(mixin -> mixin.userObject() instanceof StackOptions))
                .forEach(sub -> StackOptions.addSettingOptions(sub.getCommandSpec()));
        cli.setExecutionExceptionHandler(new FailureReporter());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
