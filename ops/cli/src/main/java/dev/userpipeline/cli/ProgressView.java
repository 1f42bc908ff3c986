package dev.userpipeline.cli;

import dev.userpipeline.stack.StackListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows what the stack is doing. On a terminal, a line per service is redrawn in place; otherwise
 * (CI, a pipe) each change is printed once, and a wait is reported every ten seconds.
 */
final class ProgressView implements StackListener {

    private static final long QUIET_REPORT_SECONDS = 10;

    private final PrintWriter out;
    private final boolean terminal;
    private final List<String> order;
    /** Names in one column as wide as the longest. */
    private final String format;
    private final Map<String, String> lines = new ConcurrentHashMap<>();
    private final Map<String, Long> lastReport = new ConcurrentHashMap<>();
    private int drawn;

    ProgressView(PrintWriter out, boolean terminal, List<String> services) {
        this.out = out;
        this.terminal = terminal;
        this.order = services;
        this.format = "%-" + services.stream().mapToInt(String::length).max().orElse(14) + "s %s%n";
    }

    @Override
    public synchronized void note(String message) {
        clear();
        out.println(message);
        redraw();
    }

    @Override
    public void preparing(String service) {
        update(service, "preparing", true);
    }

    @Override
    public void started(String service, long pid) {
        update(service, "started, pid " + pid + ", waiting for its health check", true);
    }

    @Override
    public void waiting(String service, Duration elapsed, String lastProblem) {
        long seconds = elapsed.toSeconds();
        String text = String.format(Locale.ROOT, "waiting %ds (%s)", seconds, shorten(lastProblem));
        boolean report = seconds / QUIET_REPORT_SECONDS > lastReport.getOrDefault(service, 0L);
        if (report) {
            lastReport.put(service, seconds / QUIET_REPORT_SECONDS);
        }
        update(service, text, report);
    }

    @Override
    public void healthy(String service, Duration elapsed, String detail) {
        update(service, String.format(Locale.ROOT, "healthy in %.1fs: %s", elapsed.toMillis() / 1000.0, detail), true);
    }

    @Override
    public void alreadyRunning(String service, long pid, String detail) {
        update(service, "already running (pid " + pid + "): " + detail, true);
    }

    @Override
    public synchronized void failed(String service, String reason, List<String> logTail) {
        update(service, "FAILED: " + reason, true);
        clear();
        out.println("---- last lines of " + service + "'s log ----");
        logTail.forEach(out::println);
        out.println("---- end of " + service + "'s log ----");
        drawn = 0;
        redraw();
    }

    @Override
    public void stopping(String service, long pid) {
        update(service, "stopping (pid " + pid + ")", true);
    }

    @Override
    public void stopped(String service, Duration elapsed, boolean killed) {
        update(service, String.format(Locale.ROOT, "stopped in %.1fs%s", elapsed.toMillis() / 1000.0,
                killed ? " (killed: it did not stop in time)" : ""), true);
    }

    /** Leaves the drawn lines as they are, so later output starts below them. */
    synchronized void finish() {
        drawn = 0;
        out.flush();
    }

    private synchronized void update(String service, String text, boolean reportWhenQuiet) {
        lines.put(service, text);
        if (terminal) {
            clear();
            redraw();
        } else if (reportWhenQuiet) {
            out.printf(format, service, text);
            out.flush();
        }
    }

    private void clear() {
        if (terminal && drawn > 0) {
            out.print("\u001b[" + drawn + "A\u001b[J");
            drawn = 0;
        }
    }

    private void redraw() {
        if (!terminal) {
            out.flush();
            return;
        }
        for (String service : order) {
            String text = lines.get(service);
            if (text != null) {
                out.printf(format, service, text);
                drawn++;
            }
        }
        out.flush();
    }

    private static String shorten(String text) {
        String oneLine = text == null ? "" : text.replace('\n', ' ');
        return oneLine.length() <= 70 ? oneLine : oneLine.substring(0, 67) + "...";
    }
}
