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
        Files.createDirectories(argFile.getParent());
        Files.writeString(argFile, "-cp \"" + String.join(java.io.File.pathSeparator, classpath()) + "\"\n",
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path options = classes().resolve("jvm.options");
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        }
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
