package dev.userpipeline.clients;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A session to Cassandra kept between the uses of a process that asks often (the console's looks, the live summary
 * of {@code up}), one per contact points: opening one costs about 0.1 s of CPU, two of them were most of the CPU of
 * a look at the stack (200 of 350 ms), and asking a question on an open one costs a few milliseconds. It is
 * closed after a minute unused, and at once after a failure (the next use opens a new one).
 */
public final class KeptSession {

    static final Duration IDLE = Duration.ofMinutes(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Map<String, KeptSession> BY_CONTACT_POINTS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kept-session-closer");
        t.setDaemon(true);
        return t;
    });

    private final String contactPoints;
    private CqlSession session;
    private long lastUse;

    private KeptSession(String contactPoints) {
        this.contactPoints = contactPoints;
        CLOSER.scheduleWithFixedDelay(this::closeIfIdle, IDLE.toSeconds(), IDLE.toSeconds() / 4, TimeUnit.SECONDS);
    }

    /** The kept session of these contact points ({@code host:port,...}). */
    public static KeptSession of(String contactPoints) {
        return BY_CONTACT_POINTS.computeIfAbsent(contactPoints, KeptSession::new);
    }

    /** Runs {@code work} on the kept session, opening one if there is none; a failure closes it. */
    public <T> T use(Function<CqlSession, T> work) {
        CqlSession current = session();
        try {
            return work.apply(current);
        } catch (RuntimeException e) {
            discard(current);
            throw e;
        }
    }

    private synchronized CqlSession session() {
        lastUse = System.nanoTime();
        if (session == null) {
            session = CassandraSessions.open(contactPoints, REQUEST_TIMEOUT);
        }
        return session;
    }

    private synchronized void discard(CqlSession failed) {
        if (session == failed) {
            session = null;
        }
        failed.closeAsync();
    }

    private synchronized void closeIfIdle() {
        if (session != null && System.nanoTime() - lastUse > IDLE.toNanos()) {
            session.closeAsync();
            session = null;
        }
    }
}
