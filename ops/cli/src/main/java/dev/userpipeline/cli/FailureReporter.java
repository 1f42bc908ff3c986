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
        e.printStackTrace(err);
        return STACK_FAILED;
    }
}
