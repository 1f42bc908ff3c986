package dev.userpipeline.services.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SPARK_HOME made from Maven-resolved jars: {@code jars/} (links to Spark's jars) and a {@code RELEASE}
 * file. Spark's worker needs one to build its executors' classpath; no Spark distribution is downloaded.
 */
public final class SparkHome {

    private final Path dir;

    public SparkHome(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    public Path jars() {
        return dir.resolve("jars");
    }

    /** (Re)creates {@code jars/} as links to exactly these jars, so a changed build never leaves stale ones. */
    public void create(List<Path> classpath, String sparkVersion) throws IOException {
        Files.createDirectories(jars());
        try (Stream<Path> old = Files.list(jars())) {
            for (Path link : old.toList()) {
                Files.delete(link);
            }
        }
        List<String> names = new ArrayList<>();
        for (Path jar : classpath) {
            if (jar.getFileName().toString().endsWith(".jar")) {
                Path link = jars().resolve(jar.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, jar.toAbsolutePath());
                    names.add(jar.getFileName().toString());
                }
            }
        }
        Files.writeString(dir.resolve("RELEASE"), "Spark " + sparkVersion + " (Scala 2.13), "
                + names.size() + " jars resolved by Maven\n", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("work"));
    }

    /** Environment every Spark process of this home needs. */
    public java.util.Map<String, String> environment(String host) {
        return java.util.Map.of(
                "SPARK_HOME", dir.toString(),
                // Without it the worker looks for a source build's directories and every executor fails.
                "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", host,
                "SPARK_CONF_DIR", dir.resolve("conf").toString());
    }
}
