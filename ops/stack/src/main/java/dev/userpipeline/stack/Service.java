package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One infrastructure process of the stack: how to prepare, start, check and stop it. */
public interface Service {

    /** Short lower-case name, used for its log file, pid file and on the command line. */
    String name();

    /** Whether this service is part of the stack as configured, e.g. the offline source only when it is the source. */
    default boolean enabled() {
        return true;
    }

    /**
     * The keys the process resolves from its environment, as its main declares them: the stack hands it the
     * value of each ({@code PIPELINE_...}), never key by key on a command line.
     */
    default List<Setting<?>> settings() {
        return List.of();
    }

    /** Values of some of those keys that follow from where this stack keeps its files, over the stack's own. */
    default Map<Setting<?>, String> placement() {
        return Map.of();
    }

    /** Names of services that must be healthy before this one starts. */
    default List<String> dependsOn() {
        return List.of();
    }

    /** The ports the process listens on; all must be free before it starts. */
    List<PortUse> ports();

    /** Where clients reach it, e.g. {@code 127.0.0.1:9092}. */
    String address();

    /** Installs, initialises and writes configuration, in the launcher, before the process starts. */
    void prepare(Path log) throws Exception;

    /** As {@link #prepare(Path)}, for a preparation long enough to say what it is doing through {@code note}. */
    default void prepare(Path log, java.util.function.Consumer<String> note) throws Exception {
        prepare(log);
    }

    /** The command line of the process. */
    List<String> command() throws Exception;

    /** Environment of the process besides its settings, e.g. a variable its own launcher expects. */
    default Map<String, String> environment() {
        return Map.of();
    }

    /** Runs once the process answers and before it counts as healthy, e.g. to create roles; idempotent. */
    default void bootstrap() throws Exception {
    }

    /**
     * Asks the live service whether it serves, through its real protocol.
     *
     * @return what it says about itself, e.g. its version
     * @throws Exception when it does not serve (yet)
     */
    String check() throws Exception;

    /** Stops the process gracefully, waiting up to {@code timeout}; returns true if it had to be killed. */
    default boolean stop(ProcessHandle process, Duration timeout) {
        return ProcessStopper.terminate(process, timeout);
    }

    /**
     * Processes of this service that no pid file accounts for, e.g. a postmaster whose launcher was
     * killed. They are stopped before the service starts again, and by {@code down}.
     */
    default List<ProcessHandle> strays() {
        return List.of();
    }
}
