package dev.userpipeline.cli;

import dev.userpipeline.stack.Stack;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline down}: stops every process of the stack, or the named ones. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {
            "Stops every process of the stack, or only the services named (e.g. `pipeline down stream`).",
            "",
            "Each service is stopped gracefully, then by force after the stop timeout. Data is kept for the "
                    + "next `up`, unless --purge is given; `up` starts again what is not running."
        })
final class DownCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--purge", description = "Also delete the work directory: every service's data and logs.")
    boolean purge;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Services to stop (default: all); `pipeline status` lists them.")
    List<String> services = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = options.stack();
        ProgressView progress = new ProgressView(out, false, stack.serviceNames());
        if (!services.isEmpty()) {
            for (String name : services) {
                if (stack.service(name).isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "No service '" + name + "'; the services are "
                            + String.join(", ", stack.serviceNames()) + ".");
                }
            }
            if (purge) {
                throw new ParameterException(spec.commandLine(), "--purge deletes the whole work directory; it cannot go with service names.");
            }
            stack.stop(services, progress);
            out.println("Stopped " + String.join(", ", services) + "; `pipeline up` starts them again.");
            return 0;
        }
        boolean anything = stack.serviceNames().stream().anyMatch(name -> stack.process(name).isPresent());
        stack.down(purge, progress);
        if (!anything) {
            out.println("Nothing was running.");
        }
        out.println(purge ? "Stack stopped and its data deleted." : "Stack stopped; data kept in " + stack.home() + ".");
        return 0;
    }
}
