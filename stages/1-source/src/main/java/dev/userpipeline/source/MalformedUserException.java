package dev.userpipeline.source;

/** One element of an answer that cannot be a user; the rest of the page is unaffected. */
public final class MalformedUserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedUserException(String reason) {
        super(reason);
    }
}
