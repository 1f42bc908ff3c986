package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceModuleTest {

    @Test
    void buildsAJavaCommandFromTheModulesBuildOutput(@TempDir Path root) throws Exception {
        Path module = root.resolve("services/demo");
        Files.createDirectories(module.resolve("target/classes"));
        Files.writeString(module.resolve("target/classes/jvm.options"), "-Xmx64m\n");
        Files.writeString(module.resolve("target/runtime-classpath.txt"), "/m2/a/kafka_2.13-4.4.0.jar:/m2/b/other-1.0.jar");

        ServiceModule demo = ServiceModule.locate(root, "services/demo");
        Path argFile = root.resolve("run/demo.classpath");
        List<String> command = demo.javaCommand("demo.Main", List.of("--demo-port=1"), argFile);

        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command).containsSubsequence("@" + module.resolve("target/classes/jvm.options"), "@" + argFile, "demo.Main", "--demo-port=1");
        assertThat(Files.readString(argFile)).isEqualTo("-cp \"" + module.resolve("target/classes")
                + ":/m2/a/kafka_2.13-4.4.0.jar:/m2/b/other-1.0.jar\"\n");
        assertThat(demo.dependencyVersion("kafka_2.13")).contains("4.4.0");
        assertThat(demo.dependencyVersion("absent")).isEmpty();
    }

    @Test
    void anUnbuiltModuleIsReportedWithTheBuildCommand(@TempDir Path root) {
        assertThatThrownBy(() -> ServiceModule.locate(root, "platform/kafka"))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("platform/kafka is not built")
                .hasMessageContaining("./mvnw -DskipTests package");
    }
}
