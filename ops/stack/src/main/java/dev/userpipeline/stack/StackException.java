package dev.userpipeline.stack;

/** Something the stack could not do; the message says what, where, and what to do about it. */
public class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
