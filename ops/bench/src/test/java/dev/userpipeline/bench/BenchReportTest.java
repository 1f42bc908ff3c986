package dev.userpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static BenchReport measured() {
        BenchReport report = new BenchReport(1_000, 10, 2);
        report.source("offline");
        report.ceiling("fetch", 1_000, 0.1, Map.of());
        report.ceiling("Spark to Cassandra", 1_000, 0.5, Map.of("stream", 0.3, "cassandra", 0.2, "kafka", 0.001));
        report.ceiling("Cassandra alone", 1_000, 0.25, Map.of("cassandra", 0.15));
        report.endToEnd(1_000, 1_000, 0.6, 0.2, Map.of("stream", 0.36));
        report.latency(100, 100, timings(10, 20, 30, 40));
        report.latency(1_000, 990, timings(100, 200, 300, 4_000));
        report.usage(List.of(new ServiceSampler.Usage("stream", 12.5, 512L * 1024 * 1024)));
        return report;
    }

    /** Users whose fetch-to-Cassandra latencies are these, a tenth of each fetching, landing and waiting for a batch. */
    private static List<RowTimings.Timing> timings(long... millis) {
        return java.util.Arrays.stream(millis).mapToObj(ms -> {
            long fetched = 1_000_000_000L;
            long tenth = ms * 100;
            return new RowTimings.Timing(fetched, fetched + tenth, fetched + 2 * tenth, fetched + 3 * tenth, fetched + ms * 1000);
        }).toList();
    }

    @Test
    void eachHopOfTheLatencyHasItsPercentiles() {
        String text = String.join("\n", measured().markdownTables());
        assertThat(text).contains("| rate asked | fetch to landing | landing to topic | topic to the job's write | the job's write |",
                "| 100/s | 2 / 4 ms | 2 / 4 ms | 2 / 4 ms | 14 / 28 ms |",
                "| 1,000/s | 20 / 400 ms | 20 / 400 ms | 20 / 400 ms | 140 / 2,800 ms |");
    }

    @Test
    void theSlowestStageAndTheTargetsAreNamed() {
        BenchReport report = measured();
        assertThat(report.slowest().stage()).isEqualTo("Spark to Cassandra");
        String text = String.join("\n", report.markdownTables());
        assertThat(text).contains("Slowest stage: **Spark to Cassandra**, 2,000 users/s",
                "| 1,000 | 1,000 | 0.6 | **1,667** | 0.42 | 0.2 s | stream 0.360 |",
                "| 1,000/s | 990/s | 4 | 200 ms | 4,000 ms | **4,000 ms** | 4,000 ms |",
                "| p99 ≤ 1,000 ms at 100 users/s | 40 ms | yes |",
                "| p99 ≤ 1,000 ms at 1,000 users/s | 4,000 ms | no |",
                "| end to end ≥ 0.8 × the slowest stage (Spark to Cassandra) | 0.83 × | yes |",
                "| stream | 12.5 | 0.360 | 512 MiB |");
    }

    @Test
    void theJobIsMeasuredAgainstCassandraAloneWithItsCpuPerUser() {
        String text = String.join("\n", measured().markdownTables());
        assertThat(text).contains(
                "| Spark to Cassandra | 1,000 | 0.5 | 2,000 | 0.50 | stream 0.300 · cassandra 0.200 |",
                "| Cassandra alone | 1,000 | 0.3 | 4,000 | 1 | cassandra 0.150 |",
                "| Spark to Cassandra ≥ 7,000 users/s | 2,000 users/s | no |",
                "| Spark to Cassandra ≥ 0.7 × Cassandra alone | 0.50 × | no |",
                "| job CPU ≤ 0.12 ms per user, draining the backlog | 0.300 ms | no |",
                "| end to end ≥ 0.6 × Cassandra alone | 0.42 × | no |");
    }

    @Test
    void aServicesCpuWithinAStretchIsInterpolatedBetweenLooks() {
        List<ServiceSampler.Look> looks = List.of(
                new ServiceSampler.Look(1_000, Map.of("stream", 0L, "kafka", 0L)),
                new ServiceSampler.Look(2_000, Map.of("stream", 1_000L, "kafka", 0L)),
                new ServiceSampler.Look(3_000, Map.of("stream", 3_000L, "kafka", 0L)));
        Map<String, Double> spent = ServiceSampler.between(looks, 1_500, 2_500);
        assertThat(spent).containsOnlyKeys("stream");
        assertThat(spent.get("stream")).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ServiceSampler.between(looks, 0, 5_000).get("stream")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void writesMarkdownCsvJsonAndAPlot(@TempDir Path dir) throws Exception {
        List<Path> files = measured().write(dir);
        assertThat(files).hasSize(4).allMatch(Files::isRegularFile);
        JsonNode json = new ObjectMapper().readTree(files.get(2).toFile());
        assertThat(json.path("end_to_end").path("users_per_s").asDouble()).isBetween(1666.0, 1667.0);
        assertThat(json.path("latency").get(1).path("p99_ms").asLong()).isEqualTo(4_000);
        assertThat(json.path("slowest_stage").asText()).isEqualTo("Spark to Cassandra");
        assertThat(json.path("ceilings").get(2).path("stage").asText()).isEqualTo("Cassandra alone");
        assertThat(json.path("ceilings").get(1).path("share_of_cassandra_alone").asDouble()).isEqualTo(0.5);
        assertThat(json.path("ceilings").get(1).path("cpu_ms_per_user").path("stream").asDouble()).isCloseTo(0.3,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json.path("usage").get(0).path("cpu_ms_per_user").asDouble()).isCloseTo(0.36, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Files.readAllLines(files.get(1))).hasSize(1 + 1 + 2 + 3 + 1 + 4)
                .anyMatch(line -> line.startsWith("latency,fetch to cassandra,1000,990.0,4,,,200,4000,4000,4000"));
        String svg = Files.readString(files.get(3));
        assertThat(svg).startsWith("<svg").contains("<path d=\"M", "p99").endsWith("</svg>\n");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(files.get(3).toFile());
        assertThat(Files.readString(files.get(0))).contains("![latency against rate](" + files.get(3).getFileName() + ")");
    }
}
