package dev.userpipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

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
            AwaitDeliveryCommand.class,
            ReconcileCommand.class,
            SetupCommand.class,
            AirflowCommand.class,
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
        addSettingOptions(cli);
        // Airflow's own options (-c, --help, ...) after its first argument belong to it, not to pipeline.
        cli.getSubcommands().get("airflow").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler(new FailureReporter());
        return cli;
    }

    /** Every command that works on the stack, subcommands included, gets a flag for each setting. */
    private static void addSettingOptions(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof StackOptions)) {
                StackOptions.addSettingOptions(sub.getCommandSpec());
            }
            addSettingOptions(sub);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
