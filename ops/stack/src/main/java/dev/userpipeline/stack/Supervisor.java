package dev.userpipeline.stack;

import dev.userpipeline.config.OwnerOnlyFiles;
import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts again a service of the stack that died, the way an init system would: each look finds the services
 * whose pid file is there (started, not stopped on purpose) but whose process is gone, waits the
 * {@link RestartPolicy}'s back-off, starts the service again once everything it depends on runs (so a job
 * whose store died waits for the store instead of spending its restarts), and gives up on a service that keeps
 * dying. Every death and restart goes to its log, and to {@code run/SERVICE.restarts} for {@code status}.
 *
 * <p>It runs as a service of the stack itself (started last by {@code up}, stopped first by {@code down}), so
 * a detached stack is supervised as well as one in the foreground.
 */
public final class Supervisor {

    private final Stack stack;
    private final RestartPolicy policy;
    private final PrintStream log;
    /** When each service found dead is due to start again. */
    private final Map<String, Instant> due = new HashMap<>();
    /** Services whose wait for a dependency was already logged. */
    private final Set<String> waitLogged = new HashSet<>();

    public Supervisor(Stack stack, RestartPolicy policy, PrintStream log) {
        this.stack = stack;
        this.policy = policy;
        this.log = log;
    }

    /** The services it watches: every one of the stack that runs in this configuration, but itself. */
    List<Service> watched() {
        return stack.serviceNames().stream().filter(name -> !name.equals(SupervisorService.NAME))
                .map(name -> stack.service(name).orElseThrow()).filter(stack::enabled).toList();
    }

    /** Looks at every service each {@code interval} until interrupted. */
    public void watch(Duration interval) throws InterruptedException {
        say("supervisor watching " + watched().size() + " services of " + stack.home() + ": "
                + String.join(", ", watched().stream().map(Service::name).toList()) + "; at most " + policy.limit()
                + " restarts of one within " + RestartPolicy.describe(policy.window()));
        while (!Thread.currentThread().isInterrupted()) {
            look();
            Thread.sleep(interval.toMillis());
        }
    }

    /** One look at every service, starting again those that are due. */
    void look() throws InterruptedException {
        for (Service service : watched()) {
            String name = service.name();
            if (stack.process(name).isPresent() || !stack.wasStarted(name)) {
                due.remove(name);
                waitLogged.remove(name);
                continue;
            }
            Restarts restarts = stack.restarts(name);
            if (restarts.givenUp()) {
                continue;
            }
            Instant now = Instant.now();
            if (!due.containsKey(name) && !decide(name, restarts, now)) {
                continue;
            }
            if (now.isBefore(due.get(name))) {
                continue;
            }
            List<String> waitingFor = service.dependsOn().stream()
                    .filter(dep -> stack.service(dep).map(stack::enabled).orElse(false))
                    .filter(dep -> stack.process(dep).isEmpty()).toList();
            if (!waitingFor.isEmpty()) {
                if (waitLogged.add(name)) {
                    say(name + " waits for " + String.join(", ", waitingFor) + " to run before it starts again");
                }
                continue;
            }
            restart(name, restarts);
        }
    }

    /** A death just found: when to start the service again, or giving up. Returns whether a restart is due. */
    private boolean decide(String name, Restarts restarts, Instant now) {
        String death = "death at " + now + stack.exitCode(name).map(code -> " (exit code " + code + ")").orElse("");
        Restarts noted = restarts.died(death);
        RestartPolicy.Decision decision = policy.decide(restarts.times(), now, now);
        if (decision instanceof RestartPolicy.GiveUp giveUp) {
            say(name + " died again; " + giveUp.reason() + ". Its log: " + stack.logFile(name));
            save(name, noted.givenUp(giveUp.reason()));
            return false;
        }
        Instant when = ((RestartPolicy.RestartAt) decision).when();
        say(name + " died (" + death + "); starting it again in " + Duration.between(now, when).toMillis() / 1000.0
                + " s (restart " + (policy.recent(restarts.times(), now).size() + 1) + " of at most " + policy.limit()
                + " within " + RestartPolicy.describe(policy.window()) + ")");
        save(name, noted);
        due.put(name, when);
        return true;
    }

    private void restart(String name, Restarts restarts) throws InterruptedException {
        Optional<StartLock> lock;
        try {
            lock = stack.tryStartLock();
        } catch (IOException e) {
            say("cannot take the start lock: " + e.getMessage());
            return;
        }
        if (lock.isEmpty()) {
            // up is starting services: it starts this one too, or finds it running.
            return;
        }
        try (StartLock held = lock.get()) {
            if (stack.process(name).isPresent() || !stack.wasStarted(name)) {
                due.remove(name);
                return;
            }
            Instant at = Instant.now();
            save(name, restarts.restarted(at, policy));
            long begin = System.nanoTime();
            stack.restart(name, new Lines());
            say(name + " is healthy again after " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        } catch (StackException e) {
            say(name + " did not start again: " + e.getMessage());
        } finally {
            due.remove(name);
            waitLogged.remove(name);
        }
    }

    private void save(String name, Restarts restarts) {
        try {
            stack.record(name, restarts);
        } catch (IOException e) {
            say("cannot write " + stack.restartsFile(name) + ": " + e.getMessage());
        }
    }

    private void say(String line) {
        log.println(Instant.now() + " " + line);
        log.flush();
    }

    /** The supervisor's heartbeat: its health check reads how fresh it is. */
    static Path heartbeatFile(Path home) {
        return home.resolve("run").resolve(SupervisorService.NAME + ".heartbeat");
    }

    /** What a start of a service reports, as lines of the supervisor's log. */
    private final class Lines implements StackListener {
        @Override
        public void note(String message) {
            say(message);
        }

        @Override
        public void started(String service, long pid) {
            say(service + " started again, pid " + pid);
        }

        @Override
        public void failed(String service, String reason, List<String> logTail) {
            say(service + " failed to start: " + reason);
        }
    }

    public static void main(String[] args) throws Exception {
        if (Settings.asksForHelp(args)) {
            System.out.println("Every key of `pipeline config` besides these is read from what `up` saved in the work directory.");
        }
        ProcessSettings.resolve("Supervisor", SupervisorSettings.PROCESS, args);
        Settings settings = Stack.runningSettings(args, System.getenv());
        Stack stack = new Stack(settings, RepoRoot.find());
        Supervisor supervisor = new Supervisor(stack, SupervisorSettings.policy(settings), System.out);
        Duration interval = Duration.ofSeconds(settings.get(SupervisorSettings.INTERVAL_SECONDS));
        Path heartbeat = heartbeatFile(stack.home());

        // The heartbeat has its own thread: a look that starts Cassandra again takes a while, and is no sign of death.
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervisor-heartbeat");
            t.setDaemon(true);
            return t;
        });
        int watched = supervisor.watched().size();
        beat.scheduleAtFixedRate(() -> {
            try {
                OwnerOnlyFiles.write(heartbeat, Instant.now() + " watching " + watched + " services\n");
            } catch (IOException e) {
                System.out.println(Instant.now() + " cannot write " + heartbeat + ": " + e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);

        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(Instant.now() + " supervisor stopping");
            main.interrupt();
        }, "supervisor-shutdown"));
        try {
            supervisor.watch(interval);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            beat.shutdownNow();
        }
    }
}
