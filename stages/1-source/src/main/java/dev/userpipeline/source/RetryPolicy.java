package dev.userpipeline.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently to try again: exponential backoff with jitter, a random half to all of each step (so that many
 * clients do not retry in step), a server's Retry-After honoured up to a ceiling, and a rate limit that says nothing of
 * when it ends (HTTP 429 without Retry-After) waited out for the source's whole window.
 *
 * <p>randomuser.me counts users per client address in a fixed window of about 5 minutes and answers 429 without
 * Retry-After once about 20,000 were served: a few quick retries cannot succeed, and each spends nothing but time, so
 * the client waits one window and tries again, up to {@code attempts} times in a row.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        Duration rateLimitWindow) {

    /** randomuser.me's window, as observed: its allowance comes back within 5 minutes. */
    public static final Duration RANDOMUSER_WINDOW = Duration.ofMinutes(5);

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5),
            RANDOMUSER_WINDOW);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        if (rateLimitWindow.isNegative()) {
            throw new IllegalArgumentException("the rate-limit window cannot be negative");
        }
    }

    public RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
        this(attempts, initialBackoff, maxBackoff, maxRetryAfter, RANDOMUSER_WINDOW);
    }

    public RetryPolicy withRateLimitWindow(Duration window) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxRetryAfter, window);
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
