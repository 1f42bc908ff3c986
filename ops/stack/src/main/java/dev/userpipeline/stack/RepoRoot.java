package dev.userpipeline.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the services' modules are built in, found from {@code pipeline.root} or the working directory. */
public final class RepoRoot {

    private RepoRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("pipeline.root", System.getenv("PIPELINE_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("platform/kafka/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new StackException("Cannot find the pipeline's checkout from " + Path.of("").toAbsolutePath()
                + ": run from inside it, or set PIPELINE_ROOT to it.");
    }
}
