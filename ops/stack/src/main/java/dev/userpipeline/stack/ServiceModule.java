package dev.userpipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Maven module whose code runs as its own JVM: its compiled classes, the runtime classpath the
 * build wrote ({@code target/runtime-classpath.txt}) and its {@code jvm.options}.
 */
public record ServiceModule(String name, Path dir) {

    public static ServiceModule locate(Path root, String relativeDir) {
        Path dir = root.resolve(relativeDir).toAbsolutePath().normalize();
        ServiceModule module = new ServiceModule(relativeDir, dir);
        if (!Files.isRegularFile(module.classpathFile()) || !Files.isDirectory(module.classes())) {
            throw new StackException("Module " + relativeDir + " is not built (no " + root.relativize(module.classpathFile())
                    + "). Build it with ./mvnw -DskipTests package, or run ./pipeline, which builds on first use.");
        }
        return module;
    }

    Path classes() {
        return dir.resolve("target/classes");
    }

    /** The module's {@code jvm.options} (one option a line, {@code #} comments), if it has one. */
    public Path jvmOptionsFile() {
        return classes().resolve("jvm.options");
    }

    /** The options of {@link #jvmOptionsFile()}, for a JVM this module's process starts in turn. */
    public List<String> jvmOptions() {
        try {
            return Files.isRegularFile(jvmOptionsFile())
                    ? Files.readAllLines(jvmOptionsFile(), StandardCharsets.UTF_8).stream()
                            .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList()
                    : List.of();
        } catch (IOException e) {
            throw new StackException("Cannot read " + jvmOptionsFile() + ": " + e.getMessage(), e);
        }
    }

    Path classpathFile() {
        return dir.resolve("target/runtime-classpath.txt");
    }

    /** The module's own classes first, then its dependencies. */
    public List<String> classpath() {
        try {
            String deps = Files.readString(classpathFile(), StandardCharsets.UTF_8).trim();
            List<String> entries = new ArrayList<>();
            entries.add(classes().toString());
            if (!deps.isEmpty()) {
                entries.addAll(Arrays.asList(deps.split(java.io.File.pathSeparator)));
            }
            return entries;
        } catch (IOException e) {
            throw new StackException("Cannot read " + classpathFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The command line {@code java @jvm.options @<argfile> mainClass args}; the classpath goes through an
     * argument file written to {@code argFile}, which keeps the process list readable.
     */
    public List<String> javaCommand(String mainClass, List<String> args, Path argFile) throws IOException {
        return javaCommand(mainClass, List.of(), args, argFile);
    }

    /** As {@link #javaCommand(String, List, Path)}, with JVM options after the module's own (so they win). */
    public List<String> javaCommand(String mainClass, List<String> jvmOptions, List<String> args, Path argFile) throws IOException {
        Files.createDirectories(argFile.getParent());
        Files.writeString(argFile, "-cp \"" + String.join(java.io.File.pathSeparator, classpath()) + "\"\n",
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path options = jvmOptionsFile();
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        }
        command.addAll(jvmOptions);
        command.add("@" + argFile);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** The version of a dependency as its jar names it, e.g. {@code kafka_2.13} gives {@code 4.4.0}. */
    public Optional<String> dependencyVersion(String artifactId) {
        String prefix = artifactId + "-";
        return classpath().stream()
                .map(entry -> Path.of(entry).getFileName().toString())
                .filter(file -> file.startsWith(prefix) && file.endsWith(".jar"))
                .map(file -> file.substring(prefix.length(), file.length() - 4))
                .findFirst();
    }
}
