package dev.userpipeline.cli;

import dev.userpipeline.config.InvalidSettingException;
import dev.userpipeline.stack.PortInUseException;
import dev.userpipeline.stack.StackException;
import picocli.CommandLine;

/**
 * Turns the failures a user can act on into one clear message and an exit code; anything else is a
 * defect and keeps its stack trace.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {

    /** Exit code of a bad setting or argument. */
    static final int USAGE = 2;
    /** Exit code of a port held by another process. */
    static final int PORT_IN_USE = 3;
    /** Exit code of a service that could not start or stop. */
    static final int STACK_FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        var err = cli.getErr();
        if (e instanceof InvalidSettingException) {
            err.println(cli.getColorScheme().errorText("error: ") + e.getMessage());
            return USAGE;
        }
        if (e instanceof PortInUseException) {
            err.println(cli.getColorScheme().errorText("error: ") + e.getMessage());
            return PORT_IN_USE;
        }
        if (e instanceof StackException) {
            err.println(cli.getColorScheme().errorText("error: ") + e.getMessage());
            return STACK_FAILED;
        }
        err.println(cli.getColorScheme().errorText("error: ") + "unexpected failure: " + describe(e) + where(e)
                + ". " + traceKept(e));
        return STACK_FAILED;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static String where(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        return frames.length == 0 ? "" : " (at " + frames[0].getClassName() + "." + frames[0].getMethodName() + ")";
    }

    /** The whole trace goes to a file, not to the terminal: a user gets one line and where to find the rest. */
    private static String traceKept(Throwable e) {
        try {
            String home = System.getenv("PIPELINE_HOME");
            java.nio.file.Path dir = home != null && !home.isBlank() ? java.nio.file.Path.of(home, "logs")
                    : dev.userpipeline.stack.RepoRoot.find().resolve(".pipeline/logs");
            java.nio.file.Path log = dir.resolve("cli-errors.log");
            // A trace can hold a user's data (a value that broke a write): the owner's alone, as every log.
            dev.userpipeline.config.OwnerOnlyFiles.touch(log);
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            java.nio.file.Files.writeString(log, java.time.Instant.now() + " " + trace + System.lineSeparator(),
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return "The full trace is in " + log + "; please report it with that file";
        } catch (Exception cannotWrite) {
            return "The trace could not be kept (" + cannotWrite.getMessage() + ")";
        }
    }
}
