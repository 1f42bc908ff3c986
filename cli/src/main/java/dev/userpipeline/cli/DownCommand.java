package dev.userpipeline.cli;

import dev.userpipeline.stack.Stack;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pipeline down}: stops every process of the stack. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {
            "Stops every process of the stack.",
            "",
            "Each service is stopped gracefully, then by force after the stop timeout. Data is kept for the "
                    + "next `up`, unless --purge is given."
        })
final class DownCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--purge", description = "Also delete the work directory: every service's data and logs.")
    boolean purge;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Stack stack = options.stack();
        ProgressView progress = new ProgressView(out, false, stack.serviceNames());
        boolean anything = stack.serviceNames().stream().anyMatch(name -> stack.process(name).isPresent());
        stack.down(purge, progress);
        if (!anything) {
            out.println("Nothing was running.");
        }
        out.println(purge ? "Stack stopped and its data deleted." : "Stack stopped; data kept in " + stack.home() + ".");
        return 0;
    }
}
