package dev.userpipeline.cli;

import dev.userpipeline.services.airflow.AirflowEnvironment;
import dev.userpipeline.services.airflow.AirflowInstallation;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pipeline airflow ARGS}: Airflow's own CLI, configured exactly as the stack's Airflow processes are. */
@Command(name = "airflow", mixinStandardHelpOptions = true,
        description = {
            "Runs Airflow's own command line against the stack's Airflow (same metadata database, DAG folder and keys), "
                    + "e.g. `pipeline airflow dags list` or `pipeline airflow dags test user_automation`.",
            "Everything after the first word goes to airflow unchanged; `pipeline up` installs Airflow first."
        })
final class AirflowCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Parameters(paramLabel = "ARG", arity = "1..*", description = "Arguments of the airflow command, e.g. dags list.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Stack stack = options.stack();
        AirflowInstallation installation = AirflowInstallation.of(options.settings(), stack.home(), options.root());
        if (!installation.installed()) {
            throw new StackException("Airflow is not installed in " + installation.venv() + " yet; `./pipeline up` installs it"
                    + stack.airflowOff().map(reason -> " (but Airflow is off here: " + reason + ")").orElse(""));
        }
        List<String> command = new ArrayList<>();
        command.add(installation.airflow().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(AirflowEnvironment.of(options.settings(), stack.home(), options.root()));
        return builder.start().waitFor();
    }
}
