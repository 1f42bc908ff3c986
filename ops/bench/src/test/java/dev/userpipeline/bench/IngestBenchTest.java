package dev.userpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBenchTest {

    @Test
    void cpuPerEventNamesEachBusyServiceAndTheTotal() {
        List<ServiceSampler.Usage> usage = List.of(
                new ServiceSampler.Usage("connect", 12.0, 0),
                new ServiceSampler.Usage("postgres", 3.0, 0),
                new ServiceSampler.Usage("offline-source", 0.01, 0));

        String line = IngestBench.cpuPerEvent(usage, 200_000);

        assertThat(line).startsWith("CDC CPU per event while draining: connect 0.060 ms, postgres 0.015 ms,");
        assertThat(line).as("a service that was idle is left out").doesNotContain("offline-source");
        assertThat(line).contains("total 0.075 ms (" + Runtime.getRuntime().availableProcessors() + " cores here)");
    }

    @Test
    void cpuPerEventOfAnEmptyDrainNamesNoService() {
        String line = IngestBench.cpuPerEvent(List.of(new ServiceSampler.Usage("connect", 1.0, 0)), 0);

        assertThat(line).doesNotContain("connect").contains("total 0.000 ms");
    }
}
