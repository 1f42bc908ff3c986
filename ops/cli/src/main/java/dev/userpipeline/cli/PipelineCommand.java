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
            TraceCommand.class,
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
        return commandLine(null);
    }

    /**
     * As {@link #commandLine()}, with the setting flags added only to the command {@code args} run (or ask help
     * of): a flag per setting on every command cost {@code pipeline status} about 0.1 s of its start.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new PipelineCommand());
        String invoked = args == null ? null : invoked(cli, args);
        if (invoked == null) {
            addSettingOptions(cli);
        } else {
            addSettingOptions(cli.getSubcommands().get(invoked));
        }
        // Airflow's own options (-c, --help, ...) after its first argument belong to it, not to pipeline.
        cli.getSubcommands().get("airflow").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler(new FailureReporter());
        return cli;
    }

    /** The subcommand {@code args} name first ({@code help NAME} names NAME), or null. */
    private static String invoked(CommandLine cli, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("help") && i + 1 < args.length && cli.getSubcommands().containsKey(args[i + 1])) {
                return args[i + 1];
            }
            if (cli.getSubcommands().containsKey(args[i])) {
                return args[i];
            }
            if (!args[i].startsWith("-")) {
                return null;
            }
        }
        return null;
    }

    /** Every command that works on the stack, subcommands included, gets a flag for each setting. */
    private static void addSettingOptions(CommandLine command) {
        if (command.getCommandSpec().mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof StackOptions)) {
            StackOptions.addSettingOptions(command.getCommandSpec());
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            addSettingOptions(sub);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
