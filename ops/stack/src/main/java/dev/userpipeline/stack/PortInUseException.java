package dev.userpipeline.stack;

/** A port the stack needs is held by a process that is not part of the stack. */
public final class PortInUseException extends StackException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String message) {
        super(message);
    }
}
