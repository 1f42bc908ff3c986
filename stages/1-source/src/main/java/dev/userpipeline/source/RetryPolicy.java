package dev.userpipeline.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently to try again: exponential backoff with jitter, a random half to all of each step (so that many
 * clients do not retry in step), and a server's Retry-After honoured up to a ceiling.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** The wait before try {@code attempt + 1}, after try {@code attempt} (1-based) failed. */
    public Duration backoff(int attempt, long retryAfterMillis) {
        if (retryAfterMillis >= 0) {
            return Duration.ofMillis(Math.min(retryAfterMillis, maxRetryAfter.toMillis()));
        }
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
