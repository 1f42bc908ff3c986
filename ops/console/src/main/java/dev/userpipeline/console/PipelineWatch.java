package dev.userpipeline.console;

import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.StackSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Looks at the pipeline every few seconds, but only while someone watches: a look runs every service's health
 * check and reads the flow counters, which is work taken from the pipeline on a small machine. A request
 * marks the console as watched for a minute; the first request waits for the first look. While nobody watches,
 * it samples the flow's counters alone, so the history the charts draw has no hole.
 */
final class PipelineWatch implements AutoCloseable {

    static final Duration WATCHED_FOR = Duration.ofMinutes(1);

    /** Reads the flow counters for one set of settings; closed when the settings change. */
    interface Counters extends AutoCloseable {
        List<FlowCounters.Counter> read();

        /** How far behind the job and the connector are. */
        default FlowCounters.Lag lag() {
            return FlowCounters.Lag.UNKNOWN;
        }

        /** Fetch-to-Cassandra latency of users published since the last call, or null. */
        default RecentLatency.Latency latency() {
            return null;
        }

        @Override
        void close();
    }

    private final Supplier<Settings> settings;
    private final Function<Settings, Supplier<List<ServiceStatus>>> stack;
    private final Function<Settings, Counters> counters;
    private final Duration interval;
    private final Duration watchedFor;
    private final Thread looker;
    private volatile Instant lastRequest = Instant.EPOCH;
    private PipelineSnapshot latest;
    private Settings currentSettings;
    private Supplier<List<ServiceStatus>> currentStack;
    private Counters currentCounters;
    private volatile boolean running = true;
    private final PipelineHistory history = new PipelineHistory();
    /** A request wants a look sooner than the interval would take one. */
    private boolean lookWanted;

    /**
     * @param settings the stack's settings as the work directory holds them now, asked at every look, so that
     *                 a stack started again with other settings is followed
     * @param stack    the statuses of the stack those settings describe
     * @param counters the flow counters read with those settings
     */
    PipelineWatch(Supplier<Settings> settings, Function<Settings, Supplier<List<ServiceStatus>>> stack,
            Function<Settings, Counters> counters, Duration interval) {
        this(settings, stack, counters, interval, WATCHED_FOR);
    }

    /** As the other constructor; {@code watchedFor} is how long a request keeps the watch looking. */
    PipelineWatch(Supplier<Settings> settings, Function<Settings, Supplier<List<ServiceStatus>>> stack,
            Function<Settings, Counters> counters, Duration interval, Duration watchedFor) {
        this.watchedFor = watchedFor;
        this.settings = settings;
        this.stack = stack;
        this.counters = counters;
        this.interval = interval;
        this.looker = new Thread(this::run, "pipeline-watch");
        looker.setDaemon(true);
        looker.start();
    }

    /**
     * The latest look. The first request, and the first after nobody watched for a while, waits up to
     * {@code wait} for a look taken after it (the one before may be hours old); when none comes in time, the
     * latest there is, or null if there is none.
     */
    synchronized PipelineSnapshot latest(Duration wait) throws InterruptedException {
        Instant now = Instant.now();
        boolean wasIdle = Duration.between(lastRequest, now).compareTo(watchedFor) > 0;
        lastRequest = now;
        notifyAll();
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && (latest == null || wasIdle && latest.takenAt().isBefore(now))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return latest;
    }

    /**
     * A look begun no longer than {@code maxAge} ago: the latest if it is that recent, otherwise one taken now
     * (the looker does not wait out its interval), waiting up to {@code wait} for it; null when none came in time.
     * {@code pipeline status} asks this way, so that it shows the stack as it is, through the console's warm
     * connections rather than a cold process of its own.
     */
    synchronized PipelineSnapshot fresh(Duration maxAge, Duration wait) throws InterruptedException {
        Instant now = Instant.now();
        Instant notBefore = now.minus(maxAge);
        lastRequest = now;
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && (latest == null || begun(latest).isBefore(notBefore))) {
            lookWanted = true;
            notifyAll();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return running ? latest : null;
    }

    private static Instant begun(PipelineSnapshot look) {
        return look.takenAt().minus(look.took());
    }

    /**
     * Every interval: a whole look while someone watches (or a request wants one now), otherwise a sample of the
     * flow's counters alone for the history, which asks no service's health and so costs the pipeline little.
     */
    private void run() {
        while (running) {
            try {
                boolean watched;
                synchronized (this) {
                    watched = lookWanted || Duration.between(lastRequest, Instant.now()).compareTo(watchedFor) <= 0;
                    lookWanted = false;
                }
                PipelineSnapshot look = null;
                try {
                    if (watched) {
                        look = look();
                    } else {
                        sample();
                    }
                } catch (RuntimeException e) {
                    // One failed look (say, a work directory being purged) must not end the console.
                    System.out.println(Instant.now() + " look at the pipeline failed: " + e);
                }
                synchronized (this) {
                    if (look != null) {
                        latest = look;
                    }
                    notifyAll();
                    // The interval between looks, cut short when a request wants a look now.
                    long until = System.nanoTime() + interval.toNanos();
                    while (running && !lookWanted && System.nanoTime() < until) {
                        // A request after a quiet spell wants a look at once, not at the end of the interval.
                        if (!watched && Duration.between(lastRequest, Instant.now()).compareTo(watchedFor) <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, Math.min(until - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The counters, and the stack, of the settings the work directory holds now. */
    private void follow() {
        Settings now = settings.get();
        if (currentSettings == null || !currentSettings.raw().equals(now.raw())) {
            // Keep one stack while its settings hold: its services remember what is costly to ask often.
            if (currentCounters != null) {
                currentCounters.close();
            }
            currentSettings = now;
            currentStack = stack.apply(now);
            currentCounters = counters.apply(now);
        }
    }

    private void sample() {
        follow();
        List<FlowCounters.Counter> flow = currentCounters.read();
        history.add(Instant.now(), flow, currentCounters.lag(), currentCounters.latency());
    }

    private PipelineSnapshot look() {
        follow();
        Instant begin = Instant.now();
        List<ServiceStatus> statuses = currentStack.get();
        List<FlowCounters.Counter> flow = currentCounters.read();
        FlowCounters.Lag lag = currentCounters.lag();
        Instant end = Instant.now();
        history.add(end, flow, lag, currentCounters.latency());
        PipelineSnapshot previous;
        synchronized (this) {
            previous = latest;
        }
        return new PipelineSnapshot(end, Duration.between(begin, end), currentSettings.get(StackSettings.HOME), statuses,
                PipelineSnapshot.withRates(flow, end, previous), lag);
    }

    /** The flow over the last hour, sampled every interval whether or not anyone watches. */
    PipelineHistory history() {
        return history;
    }

    @Override
    public void close() {
        running = false;
        looker.interrupt();
        synchronized (this) {
            notifyAll();
        }
        if (currentCounters != null) {
            currentCounters.close();
        }
    }
}
