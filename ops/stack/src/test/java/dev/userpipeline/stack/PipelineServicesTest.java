package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each service says itself whether it runs; the stack starts what says so, in the order a record travels. */
class PipelineServicesTest {

    static List<String> running(Path home, String... args) {
        Settings settings = Settings.of(StackSettings.ALL).args(args).args("--home=" + home).resolve();
        Stack stack = new Stack(settings, RepoRoot.find());
        return stack.serviceNames().stream().filter(name -> stack.service(name).orElseThrow().enabled()).toList();
    }

    @Test
    void withoutAirflowContinuousIngestionFeedsThePipelineFromTheOfflineSource(@TempDir Path home) {
        assertThat(running(home, "--airflow-enabled=false", "--ingest-source=offline"))
                .containsExactly("postgres", "kafka", "cassandra", "connect", "offline-source", "ingest", "stream", "console", "supervisor");
    }

    @Test
    void anotherSourceNeedsNoOfflineServerAndRateZeroNoIngestion(@TempDir Path home) {
        assertThat(running(home, "--airflow-enabled=false", "--ingest-source=http://api.example/api/", "--ingest-rate=0",
                "--console-enabled=false")).containsExactly("postgres", "kafka", "cassandra", "connect", "stream", "supervisor");
    }

    @Test
    void theSupervisorStartsAfterEveryServiceThatRunsAndNotAtAllWhenOff(@TempDir Path home) {
        Settings settings = Settings.of(StackSettings.ALL).args("--home=" + home, "--airflow-enabled=false", "--ingest-source=offline").resolve();
        Stack stack = new Stack(settings, RepoRoot.find());
        assertThat(stack.service("supervisor").orElseThrow().dependsOn())
                .containsExactly("postgres", "kafka", "cassandra", "connect", "offline-source", "ingest", "stream", "console");
        assertThat(running(home, "--supervisor-enabled=false")).doesNotContain("supervisor");
        assertThat(running(home, "--services-external=true")).doesNotContain("supervisor");
    }

    @Test
    void aSparkClusterRunsOnlyWithTheJobAndItsFlag(@TempDir Path home) {
        assertThat(running(home, "--airflow-enabled=false", "--ingest-source=offline", "--spark-cluster=true"))
                .contains("spark-master", "spark-worker", "stream");
        assertThat(running(home, "--airflow-enabled=false", "--ingest-source=offline", "--spark-cluster=true", "--spark-job=false"))
                .doesNotContain("spark-master", "spark-worker", "stream");
    }

    @Test
    void everyServiceStartsAfterWhatItDependsOn(@TempDir Path home) {
        Stack stack = new Stack(Settings.of(StackSettings.ALL).args("--home=" + home, "--ingest-source=offline",
                "--spark-cluster=true").resolve(), RepoRoot.find());
        List<String> order = stack.serviceNames();
        for (String name : order) {
            for (String dependency : stack.service(name).orElseThrow().dependsOn()) {
                assertThat(order.indexOf(dependency)).as("%s after %s", name, dependency).isBetween(0, order.indexOf(name) - 1);
            }
        }
    }
}
