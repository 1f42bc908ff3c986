package dev.userpipeline.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a service that died is started again, and when it is given up on: the first restart after
 * {@code firstDelay}, each later one after twice the wait before it (up to {@code maxDelay}), and none once
 * {@code limit} restarts fell within {@code window} (a service that keeps dying stays stopped, for a person to
 * look at, instead of spinning). Restarts older than the window no longer count, as with systemd's start limit.
 */
public record RestartPolicy(int limit, Duration window, Duration firstDelay, Duration maxDelay) {

    /** What to do about a service found dead at {@code now}, given its earlier restarts. */
    public sealed interface Decision permits RestartAt, GiveUp {
    }

    /** Start it again at {@code when} (now or later). */
    public record RestartAt(Instant when) implements Decision {
    }

    /** Leave it stopped: {@code reason} says why, for status. */
    public record GiveUp(String reason) implements Decision {
    }

    /**
     * @param restarts when it was restarted before, oldest first
     * @param diedAt   when it was found dead
     */
    public Decision decide(List<Instant> restarts, Instant diedAt, Instant now) {
        List<Instant> recent = recent(restarts, now);
        if (recent.size() >= limit) {
            return new GiveUp(limit == 0 ? "restarts are off (supervisor.restart.limit is 0)"
                    : "gave up after " + limit + " restart" + (limit == 1 ? "" : "s") + " within " + describe(window)
                            + "; `pipeline up` starts it again, its log says why it died");
        }
        return new RestartAt(diedAt.plus(delay(recent.size())));
    }

    /** The wait before restart number {@code n + 1} (n earlier ones in the window). */
    public Duration delay(int n) {
        Duration delay = firstDelay;
        for (int i = 0; i < n && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** The restarts that still count at {@code now}. */
    public List<Instant> recent(List<Instant> restarts, Instant now) {
        Instant since = now.minus(window);
        return restarts.stream().filter(at -> at.isAfter(since)).toList();
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : s + " s";
    }
}
