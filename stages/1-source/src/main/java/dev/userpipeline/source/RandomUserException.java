package dev.userpipeline.source;

/**
 * The API could not be used: no connection, an error status, or an answer that is not the API's
 * contract. The message says what came back (status, content type, first bytes) and from where.
 */
public final class RandomUserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final long retryAfterMillis;
    private final boolean rateLimited;

    public RandomUserException(String message, boolean retryable, long retryAfterMillis, Throwable cause) {
        this(message, retryable, retryAfterMillis, false, cause);
    }

    RandomUserException(String message, boolean retryable, long retryAfterMillis, boolean rateLimited, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfterMillis = retryAfterMillis;
        this.rateLimited = rateLimited;
    }

    public RandomUserException(String message, boolean retryable) {
        this(message, retryable, -1, null);
    }

    /** Whether another try may succeed (connection errors, timeouts, 5xx, 429, a damaged answer). */
    public boolean retryable() {
        return retryable;
    }

    /** What the server asked to wait before the next try (Retry-After), or -1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** A 429 that did not say when to come back: the source's rate-limit window is waited out. */
    public boolean rateLimited() {
        return rateLimited;
    }
}
