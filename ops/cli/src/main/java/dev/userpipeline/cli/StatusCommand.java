package dev.userpipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.userpipeline.stack.ServiceStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline status}: asks each live process, through its own protocol, how it is. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Shows the state of every service, asked of the live processes.",
            "",
            "For each service: state, pid, address, version, uptime, resident memory and CPU time. Health is "
                    + "asked through each service's protocol (SQL, Kafka metadata, CQL): by the console when it runs "
                    + "(a look at most 1 s old, through its warm clients), otherwise by this command itself (about "
                    + "2-3 s). Exit code: 0 when every service is healthy, 3 otherwise."
        })
final class StatusCommand implements Callable<Integer> {

    static final int NOT_ALL_HEALTHY = 3;

    @Mixin
    StackOptions options;

    @Option(names = "--json", description = "Print the looks as one JSON array, details in full (for scripts).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ServiceStatus> statuses = ConsoleLook.of(options.settings()).orElseGet(() -> options.stack().status());
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode all = mapper.createArrayNode();
            statuses.forEach(s -> s.writeTo(all.addObject()));
            out.println(all);
        } else {
            StatusTable.render(statuses).forEach(out::println);
        }
        return statuses.stream().allMatch(s -> s.isHealthy() || s.state() == ServiceStatus.State.OFF) ? 0 : NOT_ALL_HEALTHY;
    }
}
