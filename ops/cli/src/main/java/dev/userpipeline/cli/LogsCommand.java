package dev.userpipeline.cli;

import dev.userpipeline.clients.LogTail;
import dev.userpipeline.stack.Stack;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline logs SERVICE}: a service's log, optionally followed. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {
            "Prints the end of a service's log.",
            "",
            "The log is .pipeline/logs/SERVICE.log; --follow keeps printing what is appended."
        })
final class LogsCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Parameters(paramLabel = "SERVICE", description = "One of: postgres, kafka, cassandra, offline-source, ingest.")
    String service;

    @Option(names = {"-n", "--lines"}, defaultValue = "100", description = "How many lines from the end (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
    boolean follow;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Stack stack = options.stack();
        if (stack.service(service).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Unknown service '" + service + "'. Known: "
                    + String.join(", ", stack.serviceNames()));
        }
        PrintWriter out = spec.commandLine().getOut();
        Path log = stack.logFile(service);
        if (!Files.exists(log) && !follow) {
            out.println("No log yet for " + service + " (" + log + "): it has not been started in this work directory.");
            return 0;
        }
        LogTail.lastLines(log, lines).forEach(out::println);
        out.flush();
        if (follow) {
            follow(log, out);
        }
        return 0;
    }

    private static void follow(Path log, PrintWriter out) throws IOException, InterruptedException {
        long position = Files.exists(log) ? Files.size(log) : 0;
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            if (Files.exists(log)) {
                long size = Files.size(log);
                if (size < position) {
                    position = 0; // the log was deleted and started again
                }
                if (size > position) {
                    try (InputStream in = Files.newInputStream(log)) {
                        in.skipNBytes(position);
                        int read;
                        while ((read = in.read(buffer)) > 0) {
                            out.print(new String(buffer, 0, read, StandardCharsets.UTF_8));
                            position += read;
                        }
                    }
                    out.flush();
                }
            }
            Thread.sleep(250);
        }
    }
}
