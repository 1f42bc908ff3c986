package dev.userpipeline.stack;

import dev.userpipeline.clients.LogTail;
import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The pipeline's services on this machine: each its own OS process, started from this checkout's
 * build, with its data and log under one work directory ({@code PIPELINE_HOME}, default
 * {@code .pipeline}).
 *
 * <p>Processes run in sessions of their own, so they outlive the launcher when asked to
 * ({@code up --detach}) and a Ctrl-C meant for the launcher does not reach them unannounced. What
 * is running is always asked of the live processes (pid, start time, health check); files only say
 * where to look.
 */
public final class Stack {

    private static final int LOG_TAIL_LINES = 30;
    /** Lines of a failed start's first error shown: the message and the top of its stack trace. */
    private static final int ERROR_LINES = 12;
    /** Starts every line the stack itself writes into a service's log. */
    private static final String LOG_MARKER = "---- ";
    private static final Duration POLL = Duration.ofMillis(500);

    private Settings settings;
    private final Path home;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    private final PipelineServices pipeline;

    /** The pipeline's services ({@link PipelineServices}) on this machine, as {@code settings} configure them. */
    public Stack(Settings settings, Path root) {
        this.settings = StackSettings.derived(settings);
        this.home = this.settings.get(StackSettings.HOME).toAbsolutePath().normalize();
        this.pipeline = new PipelineServices(this.settings, home, root);
        pipeline.services().forEach(this::add);
    }

    /**
     * Why Airflow is not part of this stack ({@code --no-airflow}, or no Python 3.10+ with venv here),
     * or empty when it runs; without it, continuous ingestion feeds the pipeline.
     */
    public Optional<String> airflowOff() {
        return pipeline.airflowOff();
    }

    /** Whether a service is part of this configuration; each service says so itself. */
    public boolean enabled(Service service) {
        return service.enabled();
    }

    private void add(Service service) {
        services.put(service.name(), service);
    }

    public Path home() {
        return home;
    }

    public List<String> serviceNames() {
        return List.copyOf(services.keySet());
    }

    public Optional<Service> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public Path logFile(String service) {
        return home.resolve("logs").resolve(service + ".log");
    }

    Path pidFile(String service) {
        return home.resolve("run").resolve(service + ".pid");
    }

    /** Where {@code up} saves the settings it ran with, for later commands to find the same addresses. */
    public static Path savedSettings(Path home) {
        return home.resolve("run").resolve("settings.properties");
    }

    /** The recorded process of a service, if it is alive. */
    public Optional<ProcessHandle> process(String service) {
        return PidFile.read(pidFile(service)).flatMap(PidFile::live);
    }

    /**
     * Whether a service was started and not stopped on purpose: its pid file is there. With no live process
     * behind it, the service died.
     */
    public boolean wasStarted(String service) {
        return Files.exists(pidFile(service));
    }

    /** A pid file set aside while its service is being stopped: no supervisor takes that stop for a death. */
    private Path stoppingFile(String service) {
        return home.resolve("run").resolve(service + ".pid.stopping");
    }

    Path restartsFile(String service) {
        return home.resolve("run").resolve(service + ".restarts");
    }

    /** What the supervisor did about a service since up started it. */
    public Restarts restarts(String service) {
        return Restarts.read(restartsFile(service));
    }

    void record(String service, Restarts restarts) throws IOException {
        restarts.write(restartsFile(service));
    }

    /**
     * The stack's settings as the work directory holds them, for a process of the stack that reads the whole of
     * it (the console, the supervisor): this process's flags, then the environment, then what {@code up} saved,
     * then the defaults (the same layers {@code pipeline status} reads).
     */
    public static Settings runningSettings(String[] args, Map<String, String> env) {
        Path home = Settings.of(StackSettings.ALL).env(env).args(args).resolve().get(StackSettings.HOME).toAbsolutePath();
        Map<String, String> saved;
        try {
            saved = Settings.load(savedSettings(home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved.remove(StackSettings.HOME.key());
        return StackSettings.derived(Settings.of(StackSettings.ALL).defaultValue(StackSettings.HOME, home)
                .saved(saved, "the running stack").env(env).args(args).resolve());
    }

    /**
     * Starts every service that is not running, in parallel where dependencies allow, and waits until
     * each answers its health check. Services already running are left alone.
     *
     * @throws PortInUseException before anything starts, if a needed port is taken
     * @throws StackException if a service could not start; the services this call started are stopped again
     */
    public void up(StackListener listener) {
        try {
            // Every service's data, logs, secrets and users' personal data live here: the owner's alone.
            dev.userpipeline.config.OwnerOnlyFiles.createDirectories(home);
            dev.userpipeline.config.OwnerOnlyFiles.restrict(home);
            dev.userpipeline.config.OwnerOnlyFiles.createDirectories(home.resolve("run"));
            dev.userpipeline.config.OwnerOnlyFiles.createDirectories(home.resolve("logs"));
        } catch (IOException e) {
            throw new StackException("Cannot create the work directory " + home + ": " + e.getMessage()
                    + ". Choose another with --home DIR or PIPELINE_HOME=DIR.", e);
        }
        try (StartLock lock = startLock(listener)) {
            upLocked(listener);
        }
    }

    /** The start lock, waited for while the supervisor starts a service again (as long as a start may take). */
    private StartLock startLock(StackListener listener) {
        try {
            Optional<StartLock> lock = StartLock.acquire(home, Duration.ofSeconds(1));
            if (lock.isEmpty()) {
                listener.note("Waiting for the supervisor, which is starting a service again ...");
                lock = StartLock.acquire(home, Duration.ofSeconds(settings.get(StackSettings.START_TIMEOUT) + 30L));
            }
            return lock.orElseThrow(() -> new StackException("Another process keeps starting services in " + home
                    + " (it holds run/start.lock): wait for it, or stop it with `pipeline down`."));
        } catch (IOException e) {
            throw new StackException("Cannot lock " + home.resolve("run/start.lock") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting to start the stack", e);
        }
    }

    private void upLocked(StackListener listener) {
        List<Service> toStart = new ArrayList<>();
        List<PortUse> ports = new ArrayList<>();
        for (Service service : services.values()) {
            if (enabled(service) && process(service.name()).isEmpty()) {
                stopStrays(service, listener);
                toStart.add(service);
                ports.addAll(service.ports());
                // Started anew by a person: whatever the supervisor counted or gave up on starts over.
                try {
                    Files.deleteIfExists(restartsFile(service.name()));
                } catch (IOException e) {
                    throw new StackException("Cannot delete " + restartsFile(service.name()) + ": " + e.getMessage(), e);
                }
            }
        }
        PortCheck.requireFree(ports);
        settings = pipeline.withResolvedSource(settings);
        try {
            settings.save(savedSettings(home));
        } catch (IOException e) {
            throw new StackException("Cannot write " + savedSettings(home) + ": " + e.getMessage(), e);
        }

        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stack-up");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<Void>> ready = new LinkedHashMap<>();
        try {
            for (Service service : services.values()) {
                if (!enabled(service)) {
                    continue;
                }
                CompletableFuture<?>[] deps = service.dependsOn().stream().map(ready::get).toArray(CompletableFuture[]::new);
                boolean start = toStart.contains(service);
                ready.put(service.name(), CompletableFuture.allOf(deps)
                        .thenRunAsync(() -> bringUp(service, start, listener), pool));
            }
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<Void>> entry : ready.entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                            ? ce.getCause() : e.getCause();
                    failures.add(entry.getKey() + ": " + cause.getMessage());
                }
            }
            if (!failures.isEmpty()) {
                List<String> startedHere = toStart.stream().map(Service::name).toList();
                listener.note("Stopping what this start brought up: " + String.join(", ", startedHere));
                stop(startedHere, listener);
                throw new StackException("The stack did not start. " + String.join("; ", failures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while starting the stack", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Starts one service again that died, its dependencies running, and waits until it is healthy: the
     * supervisor's way in, under the start lock it holds. A start that fails leaves the pid file of the failed
     * process, so that the failure counts as one more death.
     *
     * @throws StackException if it did not become healthy; a process that is left is stopped
     */
    void restart(String name, StackListener listener) {
        Service service = services.get(name);
        stopStrays(service, listener);
        try {
            bringUp(service, true, listener);
        } catch (RuntimeException e) {
            process(name).ifPresent(left -> service.stop(left, Duration.ofSeconds(settings.get(StackSettings.STOP_TIMEOUT))));
            throw e;
        }
    }

    /**
     * The start lock for one look of the supervisor, if nothing else is starting services; the caller closes it.
     */
    Optional<StartLock> tryStartLock() throws IOException, InterruptedException {
        return StartLock.acquire(home, Duration.ZERO);
    }

    private void bringUp(Service service, boolean start, StackListener listener) {
        String name = service.name();
        // Elapsed times from the monotonic clock: the wall clock of these machines is stepped by seconds at a time.
        long begin = System.nanoTime();
        Duration timeout = Duration.ofSeconds(settings.get(StackSettings.START_TIMEOUT));
        if (!start) {
            ProcessHandle running = process(name).orElseThrow(() -> new StackException(name + " stopped while up was looking at it"));
            String detail = awaitHealthy(service, running, begin, timeout, listener);
            listener.alreadyRunning(name, running.pid(), detail);
            return;
        }
        Path log = logFile(name);
        ProcessHandle handle;
        try {
            dev.userpipeline.config.OwnerOnlyFiles.touch(log);
            listener.preparing(name);
            service.prepare(log, message -> listener.note(name + ": " + message));
            List<String> command = service.command();
            appendToLog(log, LOG_MARKER + Instant.now() + " starting " + name + ": " + String.join(" ", command));
            List<String> full = new ArrayList<>();
            if (Files.isExecutable(Path.of("/bin/sh"))) {
                // Every file the service creates (segments, sstables, WAL, its own logs) is its owner's alone.
                full.addAll(List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", name));
            }
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                // Its own session: the service outlives the launcher and gets no terminal signals.
                full.add("/usr/bin/setsid");
            }
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(handoff(service));
            builder.environment().putAll(service.environment());
            Process process = builder.start();
            children.put(name, process);
            handle = process.toHandle();
            PidFile.of(handle).write(pidFile(name));
            listener.started(name, handle.pid());
        } catch (StackException e) {
            listener.failed(name, e.getMessage(), failureLines(log));
            throw e;
        } catch (Exception e) {
            String reason = "could not start: " + e.getMessage();
            listener.failed(name, reason, failureLines(log));
            throw new StackException(name + " " + reason + " (log: " + log + ")", e);
        }
        // The start timeout is for becoming healthy; a first install in prepare (e.g. Airflow's) does not count.
        String detail = awaitHealthy(service, handle, System.nanoTime(), timeout, listener);
        listener.healthy(name, since(begin), detail);
    }

    /**
     * The environment that gives a service's process its settings: {@code PIPELINE_<KEY>} for every key it
     * declares, with the stack's value or the service's placement of it. Passwords travel this way too, never
     * on a command line that every local user can read.
     */
    public Map<String, String> handoff(Service service) {
        Map<String, String> raw = settings.raw();
        Map<String, String> env = new LinkedHashMap<>();
        Map<dev.userpipeline.config.Setting<?>, String> placed = service.placement();
        for (dev.userpipeline.config.Setting<?> key : service.settings()) {
            String value = placed.containsKey(key) ? placed.get(key) : raw.get(key.key());
            if (value == null) {
                throw new StackException(service.name() + " reads " + key.key() + ", which the stack neither declares nor places;"
                        + " declare it in StackSettings or place it in the service");
            }
            env.put(key.env(), value);
        }
        return env;
    }

    private String awaitHealthy(Service service, ProcessHandle process, long begin, Duration timeout, StackListener listener) {
        String name = service.name();
        boolean bootstrapped = false;
        String problem = "starting";
        while (true) {
            if (!process.isAlive()) {
                Process child = children.get(name);
                String exit = child != null ? " with exit code " + child.exitValue() : "";
                String reason = "the process exited" + exit + " before it became healthy";
                listener.failed(name, reason, failureLines(logFile(name)));
                throw new StackException(name + ": " + reason + " (log: " + logFile(name) + ")");
            }
            try {
                if (!bootstrapped) {
                    service.bootstrap();
                    bootstrapped = true;
                }
                return service.check();
            } catch (Exception e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            Duration elapsed = since(begin);
            if (elapsed.compareTo(timeout) > 0) {
                String reason = "not healthy after " + timeout.toSeconds() + " s (last answer: " + problem
                        + "); raise the limit with " + StackSettings.START_TIMEOUT.howToChange("SECONDS");
                listener.failed(name, reason, failureLines(logFile(name)));
                throw new StackException(name + ": " + reason + " (log: " + logFile(name) + ")");
            }
            listener.waiting(name, elapsed, problem);
            sleep(POLL);
        }
    }

    /** Stops every service, dependents first; keeps the data unless {@code purge}. */
    public void down(boolean purge, StackListener listener) {
        stop(serviceNames(), listener);
        if (purge) {
            deleteTree(home);
            listener.note("Deleted " + home);
        } else {
            try {
                Files.deleteIfExists(savedSettings(home));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops these services (and nothing else), dependents first. */
    public void stop(List<String> names, StackListener listener) {
        Duration timeout = Duration.ofSeconds(settings.get(StackSettings.STOP_TIMEOUT));
        Map<String, CompletableFuture<Void>> done = new LinkedHashMap<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            // A service stops once every service that depends on it has stopped.
            List<Service> reversed = new ArrayList<>(services.values());
            java.util.Collections.reverse(reversed);
            for (Service service : reversed) {
                CompletableFuture<?>[] dependents = services.values().stream()
                        .filter(s -> s.dependsOn().contains(service.name()))
                        .map(s -> done.get(s.name())).toArray(CompletableFuture[]::new);
                boolean selected = names.contains(service.name());
                done.put(service.name(), CompletableFuture.allOf(dependents).thenRunAsync(() -> {
                    if (selected) {
                        stopOne(service, timeout, listener);
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdownNow();
        }
    }

    private void stopOne(Service service, Duration timeout, StackListener listener) {
        String name = service.name();
        Optional<ProcessHandle> tracked = process(name);
        try {
            // Set aside first: a supervisor that looks while the process stops must not take it for a death.
            if (Files.exists(pidFile(name))) {
                Files.move(pidFile(name), stoppingFile(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tracked.isPresent()) {
            ProcessHandle handle = tracked.get();
            long begin = System.nanoTime();
            listener.stopping(name, handle.pid());
            boolean killed = service.stop(handle, timeout);
            appendToLog(logFile(name), LOG_MARKER + Instant.now() + " stopped " + name + (killed ? " (killed after " + timeout.toSeconds() + " s)" : ""));
            listener.stopped(name, since(begin), killed);
        }
        stopStrays(service, listener);
        children.remove(name);
        try {
            Files.deleteIfExists(pidFile(name));
            Files.deleteIfExists(stoppingFile(name));
            Files.deleteIfExists(restartsFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopStrays(Service service, StackListener listener) {
        // A stop that was itself cut short (its launcher killed) leaves the set-aside pid file of a process.
        Optional<ProcessHandle> halfStopped = PidFile.read(stoppingFile(service.name())).flatMap(PidFile::live);
        if (halfStopped.isPresent()) {
            listener.note("Stopping a " + service.name() + " process whose stop was cut short (pid " + halfStopped.get().pid() + ")");
            service.stop(halfStopped.get(), Duration.ofSeconds(settings.get(StackSettings.STOP_TIMEOUT)));
        }
        try {
            Files.deleteIfExists(stoppingFile(service.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (ProcessHandle stray : service.strays()) {
            listener.note("Stopping a " + service.name() + " process left by an earlier run (pid " + stray.pid() + ")");
            service.stop(stray, Duration.ofSeconds(settings.get(StackSettings.STOP_TIMEOUT)));
        }
    }

    /** A live look at every service: its process, its health check, its memory and CPU. */
    public List<ServiceStatus> status() {
        // A thread per service: the common pool has one thread on two cores, which ran the checks one after another.
        ExecutorService lookers = Executors.newFixedThreadPool(services.size(), r -> {
            Thread t = new Thread(r, "status-look");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<ServiceStatus>> looks = services.values().stream()
                    .map(service -> CompletableFuture.supplyAsync(() -> statusOf(service), lookers)).toList();
            return looks.stream().map(CompletableFuture::join).toList();
        } finally {
            lookers.shutdown();
        }
    }

    public ServiceStatus statusOf(Service service) {
        if (settings.get(StackSettings.EXTERNAL)) {
            return externalStatusOf(service);
        }
        Optional<ProcessHandle> process = process(service.name());
        Restarts restarts = restarts(service.name());
        if (process.isEmpty()) {
            ServiceStatus.State state = !enabled(service) ? ServiceStatus.State.OFF
                    : restarts.givenUp() ? ServiceStatus.State.FAILED : ServiceStatus.State.STOPPED;
            String detail = restarts.givenUp() ? restarts.summary()
                    : wasStarted(service.name()) ? "died; " + (supervised() ? "the supervisor starts it again" : "`pipeline up` starts it again")
                    : "";
            return new ServiceStatus(service.name(), state, OptionalLong.empty(), service.address(),
                    detail, 0, Duration.ZERO, Duration.ZERO, restarts);
        }
        ProcessHandle handle = process.get();
        ServiceStatus checked = checked(service);
        Duration uptime = handle.info().startInstant().map(s -> Duration.between(s, Instant.now())).orElse(Duration.ZERO);
        return new ServiceStatus(service.name(), checked.state(), OptionalLong.of(handle.pid()), service.address(), checked.detail(),
                ProcessMemory.residentBytes(handle), ProcessMemory.cpu(handle), uptime, restarts);
    }

    /** Whether a supervisor watches this stack now. */
    private boolean supervised() {
        return services.containsKey(SupervisorService.NAME) && process(SupervisorService.NAME).isPresent();
    }

    /** The service's health check alone: healthy with its detail, or unhealthy with why. */
    private static ServiceStatus checked(Service service) {
        ServiceStatus.State state;
        String detail;
        try {
            detail = service.check();
            state = ServiceStatus.State.HEALTHY;
        } catch (Exception e) {
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            state = ServiceStatus.State.UNHEALTHY;
        }
        return new ServiceStatus(service.name(), state, OptionalLong.empty(), service.address(), detail, 0, Duration.ZERO, Duration.ZERO);
    }

    /** A service that runs elsewhere: only its health check tells, and a failed one says why. */
    private ServiceStatus externalStatusOf(Service service) {
        if (!enabled(service)) {
            return new ServiceStatus(service.name(), ServiceStatus.State.OFF, OptionalLong.empty(), service.address(),
                    "", 0, Duration.ZERO, Duration.ZERO);
        }
        return checked(service);
    }

    /** The exit code of a service this launcher started and that has exited, if known. */
    public Optional<Integer> exitCode(String service) {
        Process child = children.get(service);
        return child != null && !child.isAlive() ? Optional.of(child.exitValue()) : Optional.empty();
    }

    /**
     * What a failed start shows of its log: the last lines, and before them the start's first error when the last
     * lines do not hold it (a process that fails logs its cause, then many lines of shutting down).
     */
    static List<String> failureLines(Path log) {
        List<String> tail = LogTail.lastLines(log, LOG_TAIL_LINES);
        List<String> error = LogTail.firstError(log, LOG_MARKER, ERROR_LINES);
        if (error.isEmpty() || tail.contains(error.get(0))) {
            return tail;
        }
        List<String> lines = new ArrayList<>(error);
        lines.add("[…]");
        lines.addAll(tail);
        return lines;
    }

    /** The time since a reading of {@link System#nanoTime()}. */
    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    private static void appendToLog(Path log, String line) {
        try {
            dev.userpipeline.config.OwnerOnlyFiles.touch(log);
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is for people; failing to annotate it must not fail the stack.
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StackException("Cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }
}
