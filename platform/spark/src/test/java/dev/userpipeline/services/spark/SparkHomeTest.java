package dev.userpipeline.services.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkHomeTest {

    @Test
    void linksEveryJarAndDropsTheOnesOfAnEarlierBuild(@TempDir Path tmp) throws Exception {
        Path a = Files.writeString(tmp.resolve("spark-core_2.13-3.5.4.jar"), "a");
        Path b = Files.writeString(tmp.resolve("scala-library-2.13.8.jar"), "b");
        Path old = Files.writeString(tmp.resolve("old-1.0.jar"), "o");
        SparkHome home = new SparkHome(tmp.resolve("home"));

        home.create(List.of(a, old), "3.5.4");
        home.create(List.of(a, b, tmp.resolve("classes")), "3.5.4");

        try (var jars = Files.list(home.jars())) {
            assertThat(jars.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("scala-library-2.13.8.jar", "spark-core_2.13-3.5.4.jar");
        }
        assertThat(Files.readSymbolicLink(home.jars().resolve("scala-library-2.13.8.jar"))).isEqualTo(b);
        assertThat(Files.readString(home.dir().resolve("RELEASE"))).startsWith("Spark 3.5.4");
        assertThat(home.environment("127.0.0.1")).containsEntry("SPARK_SCALA_VERSION", "2.13");
    }
}
