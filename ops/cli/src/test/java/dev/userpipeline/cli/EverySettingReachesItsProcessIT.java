package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.stack.RepoRoot;
import dev.userpipeline.stack.Service;
import dev.userpipeline.stack.Stack;
import dev.userpipeline.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key a child process declares reaches it with the value given to {@code up}: each child is started with
 * the command and environment the stack gives it, asked to print what it resolved ({@code --print-settings}),
 * and read back. The values are all other than the defaults, so a key the stack failed to hand over shows.
 * Here, in the module built last, because every child's module must be built; no service needs to run.
 */
class EverySettingReachesItsProcessIT {

    @Test
    void everyKeyAChildDeclaresReachesItWithTheValueGivenToUp(@TempDir Path home) throws Exception {
        Stack probe = new Stack(Settings.of(StackSettings.ALL).resolve(), RepoRoot.find());
        Set<Setting<?>> declared = new LinkedHashSet<>();
        probe.serviceNames().forEach(name -> declared.addAll(probe.service(name).orElseThrow().settings()));
        Map<String, String> given = new LinkedHashMap<>();
        for (Setting<?> key : declared) {
            if (StackSettings.ALL.contains(key)) {
                given.put(key.key(), otherThanDefault(key));
            }
        }
        given.put(StackSettings.HOME.key(), home.toString());
        // The case that was lost before every key was handed over generically.
        assertThat(given).containsEntry(IngestSettings.ATTEMPTS.key(), "7");
        Settings settings = Settings.of(StackSettings.ALL).setAll(given).resolve();
        Stack stack = new Stack(settings, RepoRoot.find());

        List<String> checked = new ArrayList<>();
        for (String name : stack.serviceNames()) {
            Service service = stack.service(name).orElseThrow();
            if (service.settings().isEmpty()) {
                continue;
            }
            Map<String, String> printed = printedSettings(stack, service);
            Map<Setting<?>, String> placed = service.placement();
            for (Setting<?> key : service.settings()) {
                String expected = placed.containsKey(key) ? placed.get(key) : given.get(key.key());
                assertThat(expected).as("%s reads %s: given to up or placed by the service", name, key).isNotNull();
                assertThat(printed).as("%s resolved", name).containsEntry(key.key(), ProcessSettings.shown(key, expected));
                if (!placed.containsKey(key)) {
                    assertThat(expected).as("%s of %s differs from its default", key, name).isNotEqualTo(key.defaultValue());
                }
            }
            System.out.println("[settings] " + name + " resolved " + printed.size() + " keys: " + printed.keySet());
            checked.add(name);
        }
        assertThat(checked).contains("kafka", "cassandra", "connect", "offline-source", "ingest", "stream", "console");
    }

    /** A valid value of the key's type that is not its default. */
    static String otherThanDefault(Setting<?> key) {
        Map<String, String> chosen = Map.of(
                "ingest.source", "offline",
                "cassandra.commitlog.sync", "periodic",
                "stream.starting.offsets", "latest",
                "kafka.bootstrap.servers", "127.0.0.2:19092,127.0.0.3:19092",
                "cassandra.contact.points", "127.0.0.2:19042,127.0.0.3:19042");
        if (chosen.containsKey(key.key())) {
            return chosen.get(key.key());
        }
        String base = key.defaultValue();
        Object value = key.parse(base, "test");
        if (value instanceof Integer number) {
            for (int candidate : new int[] {number + 1, number - 1}) {
                try {
                    key.parse(Integer.toString(candidate), "test");
                    return Integer.toString(candidate);
                } catch (RuntimeException outOfRange) {
                    // the other way, then
                }
            }
        }
        if (value instanceof Boolean flag) {
            return Boolean.toString(!flag);
        }
        if (key.key().endsWith(".host")) {
            return "localhost";
        }
        return base + "-other";
    }

    /** Starts the service's process as the stack would, asking it to print its settings and exit. */
    static Map<String, String> printedSettings(Stack stack, Service service) throws Exception {
        List<String> command = new ArrayList<>(service.command());
        command.add(ProcessSettings.PRINT);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(stack.handoff(service));
        builder.environment().putAll(service.environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s printed its settings in time", service.name()).isTrue();
        assertThat(process.exitValue()).as("%s exited with:%n%s", service.name(), output).isZero();
        Map<String, String> printed = new LinkedHashMap<>();
        output.lines().filter(line -> line.matches("[a-z][a-z0-9.]*=.*")).forEach(line ->
                printed.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return printed;
    }
}
