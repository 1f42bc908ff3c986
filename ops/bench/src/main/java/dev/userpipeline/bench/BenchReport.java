package dev.userpipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The figures of one {@code pipeline bench} run, and their files: Markdown, CSV, JSON and an SVG plot. */
final class BenchReport {

    /** One stage measured alone, and the CPU seconds each service spent on it. */
    record Ceiling(String stage, long users, double seconds, Map<String, Double> cpuSeconds) {
        double perSecond() {
            return seconds > 0 ? users / seconds : 0;
        }

        double cpuMillisPerUser(String service) {
            return users > 0 ? cpuSeconds.getOrDefault(service, 0.0) * 1000 / users : 0;
        }
    }

    /** Fetch-to-Cassandra latency of every user landed at one fixed rate, and of each hop on the way. */
    record Latency(int rate, double achieved, int users, long p50, long p95, long p99, long max, List<Hop> hops) {
    }

    /** The median and p99 of one of {@link RowTimings#HOPS}. */
    record Hop(String name, long p50, long p99) {
    }

    /** N users as fast as possible: from the start of the fetch to the last row written in Cassandra. */
    record EndToEnd(long inCassandra, long landed, double seconds, double ingestSeconds, Map<String, Double> cpuSeconds) {
        double perSecond() {
            return seconds > 0 ? inCassandra / seconds : 0;
        }

        double cpuMillisPerUser(String service) {
            return inCassandra > 0 ? cpuSeconds.getOrDefault(service, 0.0) * 1000 / inCassandra : 0;
        }
    }

    /** The stage that is no stage of the pipeline: Cassandra written by a plain driver writer ({@link CassandraCeiling}). */
    static final String CASSANDRA_ALONE = "Cassandra alone";
    static final String SPARK_TO_CASSANDRA = "Spark to Cassandra";
    static final String JOB = "stream";

    static final double TARGET_USERS_PER_SECOND = 6_000;
    static final double TARGET_SPARK_USERS_PER_SECOND = 7_000;
    static final double TARGET_SPARK_SHARE_OF_CASSANDRA = 0.7;
    static final double TARGET_END_TO_END_SHARE_OF_CASSANDRA = 0.6;
    static final double TARGET_JOB_CPU_MILLIS_PER_USER = 0.12;
    static final long TARGET_P99_MILLIS = 1_000;
    static final double TARGET_SHARE_OF_SLOWEST = 0.8;

    private final int count;
    private final int seconds;
    private final int cores;
    private final LocalDate date = LocalDate.now();
    private String source = "";
    private final List<Ceiling> ceilings = new ArrayList<>();
    private final List<Latency> latencies = new ArrayList<>();
    private EndToEnd endToEnd;
    private List<ServiceSampler.Usage> usage = List.of();

    BenchReport(int count, int seconds, int cores) {
        this.count = count;
        this.seconds = seconds;
        this.cores = cores;
    }

    void source(String described) {
        this.source = described;
    }

    void ceiling(String stage, long users, double elapsedSeconds, Map<String, Double> cpuSeconds) {
        ceilings.add(new Ceiling(stage, users, elapsedSeconds, Map.copyOf(cpuSeconds)));
    }

    void endToEnd(long inCassandra, long landed, double elapsedSeconds, double ingestSeconds, Map<String, Double> cpuSeconds) {
        endToEnd = new EndToEnd(inCassandra, landed, elapsedSeconds, ingestSeconds, Map.copyOf(cpuSeconds));
    }

    void latency(int rate, double achieved, List<RowTimings.Timing> timings) {
        long[] sortedMillis = timings.stream().mapToLong(RowTimings.Timing::fetchToCassandraMillis).sorted().toArray();
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < RowTimings.HOPS.size(); i++) {
            int hop = i;
            long[] sorted = timings.stream().mapToLong(t -> t.hopMillis()[hop]).sorted().toArray();
            hops.add(new Hop(RowTimings.HOPS.get(i), TopicWatch.percentile(sorted, 50), TopicWatch.percentile(sorted, 99)));
        }
        latencies.add(new Latency(rate, achieved, sortedMillis.length, TopicWatch.percentile(sortedMillis, 50),
                TopicWatch.percentile(sortedMillis, 95), TopicWatch.percentile(sortedMillis, 99), TopicWatch.percentile(sortedMillis, 100),
                List.copyOf(hops)));
    }

    void usage(List<ServiceSampler.Usage> measured) {
        this.usage = measured;
    }

    /** The slowest stage of the pipeline (the Cassandra-alone ceiling is none). */
    Ceiling slowest() {
        return ceilings.stream().filter(c -> !c.stage().equals(CASSANDRA_ALONE))
                .min(Comparator.comparingDouble(Ceiling::perSecond)).orElse(null);
    }

    Optional<Ceiling> stage(String name) {
        return ceilings.stream().filter(c -> c.stage().equals(name)).findFirst();
    }

    /** Users per second as a share of the Cassandra-alone ceiling of the same run, when it was measured. */
    OptionalDouble shareOfCassandra(double usersPerSecond) {
        return stage(CASSANDRA_ALONE).filter(c -> c.perSecond() > 0).map(c -> OptionalDouble.of(usersPerSecond / c.perSecond()))
                .orElse(OptionalDouble.empty());
    }

    void print(PrintWriter out) {
        out.println();
        markdownTables().forEach(out::println);
        out.flush();
    }

    /** Writes {@code <date>.md}, {@code .csv}, {@code .json} and {@code -latency.svg}; a later run of the same day replaces them. */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = date.toString();
        Path md = dir.resolve(name + ".md");
        Path csv = dir.resolve(name + ".csv");
        Path json = dir.resolve(name + ".json");
        Path svg = dir.resolve(name + "-latency.svg");
        StringBuilder text = new StringBuilder("# Pipeline benchmark, " + name + "\n\n");
        text.append(String.format(Locale.ROOT, "`./pipeline bench --count %d --rates %s --seconds %d`: source %s, %d cores, every service "
                + "on this machine.%n%n", count, rates(), seconds, source, cores));
        markdownTables().forEach(line -> text.append(line).append('\n'));
        text.append("\n![latency against rate](").append(svg.getFileName()).append(")\n");
        Files.writeString(md, text, StandardCharsets.UTF_8);
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        Files.writeString(json, json(), StandardCharsets.UTF_8);
        List<LatencyPlot.Point> points = latencies.stream().map(l -> new LatencyPlot.Point(l.achieved(), l.p50(), l.p95(), l.p99(), l.max())).toList();
        Files.writeString(svg, LatencyPlot.svg("Fetch-to-Cassandra latency against rate, " + name, points), StandardCharsets.UTF_8);
        return List.of(md, csv, json, svg);
    }

    private String rates() {
        return String.join(",", latencies.stream().map(l -> Integer.toString(l.rate())).toList());
    }

    List<String> markdownTables() {
        List<String> lines = new ArrayList<>();
        if (endToEnd != null) {
            lines.add("## (a) End to end");
            lines.add("");
            lines.add("| users | in Cassandra | seconds, first fetch to last Cassandra write | users/s | of Cassandra alone | of which fetch + land "
                    + "| CPU ms per user |");
            lines.add("|---|---|---|---|---|---|---|");
            lines.add(String.format(Locale.ROOT, "| %,d | %,d | %.1f | **%,.0f** | %s | %.1f s | %s |", endToEnd.landed(), endToEnd.inCassandra(),
                    endToEnd.seconds(), endToEnd.perSecond(), share(endToEnd.perSecond()), endToEnd.ingestSeconds(),
                    cpuPerUser(endToEnd.cpuSeconds(), endToEnd.inCassandra())));
            lines.add("");
        }
        lines.add("## (b) Latency at fixed rates, fetch to Cassandra write");
        lines.add("");
        lines.add("| rate asked | rate landed | users | p50 | p95 | p99 | max |");
        lines.add("|---|---|---|---|---|---|---|");
        for (Latency l : latencies) {
            lines.add(String.format(Locale.ROOT, "| %,d/s | %,.0f/s | %,d | %,d ms | %,d ms | **%,d ms** | %,d ms |", l.rate(), l.achieved(), l.users(),
                    l.p50(), l.p95(), l.p99(), l.max()));
        }
        if (!latencies.isEmpty()) {
            lines.add("");
            lines.add("Where the time goes, p50 / p99 of each hop, from the times each row carries (landed, published to the topic, "
                    + "processed: when the job parsed it, in the task that writes it; a micro-batch starts when the one before it ends):");
            lines.add("");
            lines.add("| rate asked | " + String.join(" | ", RowTimings.HOPS) + " |");
            lines.add("|---|" + "---|".repeat(RowTimings.HOPS.size()));
            for (Latency l : latencies) {
                lines.add(String.format(Locale.ROOT, "| %,d/s | %s |", l.rate(), l.hops().stream()
                        .map(h -> String.format(Locale.ROOT, "%,d / %,d ms", h.p50(), h.p99())).collect(java.util.stream.Collectors.joining(" | "))));
            }
        }
        lines.add("");
        lines.add("## (c) Each stage alone");
        lines.add("");
        lines.add("| stage | users | seconds | users/s | of Cassandra alone | CPU ms per user |");
        lines.add("|---|---|---|---|---|---|");
        for (Ceiling c : ceilings) {
            lines.add(String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f | %s | %s |", c.stage(), c.users(), c.seconds(), c.perSecond(),
                    c.stage().equals(CASSANDRA_ALONE) ? "1" : share(c.perSecond()), cpuPerUser(c.cpuSeconds(), c.users())));
        }
        Ceiling slowest = slowest();
        if (slowest != null) {
            lines.add("");
            lines.add(String.format(Locale.ROOT, "Slowest stage: **%s**, %,.0f users/s.", slowest.stage(), slowest.perSecond()));
        }
        lines.add("");
        lines.add("## Targets");
        lines.add("");
        lines.add("| target | measured | met |");
        lines.add("|---|---|---|");
        stage(SPARK_TO_CASSANDRA).ifPresent(spark -> {
            lines.add(String.format(Locale.ROOT, "| Spark to Cassandra ≥ %,.0f users/s | %,.0f users/s | %s |", TARGET_SPARK_USERS_PER_SECOND,
                    spark.perSecond(), met(spark.perSecond() >= TARGET_SPARK_USERS_PER_SECOND)));
            shareOfCassandra(spark.perSecond()).ifPresent(share -> lines.add(String.format(Locale.ROOT,
                    "| Spark to Cassandra ≥ %.1f × Cassandra alone | %.2f × | %s |", TARGET_SPARK_SHARE_OF_CASSANDRA, share,
                    met(share >= TARGET_SPARK_SHARE_OF_CASSANDRA))));
            double job = spark.cpuMillisPerUser(JOB);
            lines.add(String.format(Locale.ROOT, "| job CPU ≤ %.2f ms per user, draining the backlog | %.3f ms | %s |",
                    TARGET_JOB_CPU_MILLIS_PER_USER, job, met(job <= TARGET_JOB_CPU_MILLIS_PER_USER)));
        });
        if (endToEnd != null) {
            lines.add(String.format(Locale.ROOT, "| end to end ≥ %,.0f users/s | %,.0f users/s | %s |", TARGET_USERS_PER_SECOND,
                    endToEnd.perSecond(), met(endToEnd.perSecond() >= TARGET_USERS_PER_SECOND)));
            shareOfCassandra(endToEnd.perSecond()).ifPresent(share -> lines.add(String.format(Locale.ROOT,
                    "| end to end ≥ %.1f × Cassandra alone | %.2f × | %s |", TARGET_END_TO_END_SHARE_OF_CASSANDRA, share,
                    met(share >= TARGET_END_TO_END_SHARE_OF_CASSANDRA))));
        }
        latencies.stream().filter(l -> l.rate() == 100 || l.rate() == 1_000).forEach(l -> lines.add(String.format(Locale.ROOT,
                "| p99 ≤ %,d ms at %,d users/s | %,d ms | %s |", TARGET_P99_MILLIS, l.rate(), l.p99(), met(l.p99() <= TARGET_P99_MILLIS))));
        if (endToEnd != null && slowest != null) {
            double share = endToEnd.perSecond() / slowest.perSecond();
            lines.add(String.format(Locale.ROOT, "| end to end ≥ %.1f × the slowest stage (%s) | %.2f × | %s |", TARGET_SHARE_OF_SLOWEST,
                    slowest.stage(), share, share >= TARGET_SHARE_OF_SLOWEST ? "yes" : "no"));
        }
        lines.add("");
        lines.add("## (d) What each service used during the run");
        lines.add("");
        lines.add("| service | CPU seconds | CPU ms per user, end to end | peak resident memory |");
        lines.add("|---|---|---|---|");
        for (ServiceSampler.Usage u : usage) {
            lines.add(String.format(Locale.ROOT, "| %s | %,.1f | %s | %,d MiB |", u.service(), u.cpuSeconds(),
                    endToEnd == null ? "" : String.format(Locale.ROOT, "%.3f", endToEnd.cpuMillisPerUser(u.service())),
                    u.peakRssBytes() / (1024 * 1024)));
        }
        lines.add("");
        lines.add("Sampled twice a second; a stage's CPU is what each service spent between the stage's first and last write "
                + "(interpolated between samples). A service's memory is the sum over its processes, so PostgreSQL's shared buffers "
                + "count once per backend. The launcher's own fetching and landing, and the Cassandra-alone writer, are not in the tables.");
        return lines;
    }

    private static String met(boolean met) {
        return met ? "yes" : "no";
    }

    private String share(double usersPerSecond) {
        OptionalDouble share = shareOfCassandra(usersPerSecond);
        return share.isPresent() ? String.format(Locale.ROOT, "%.2f", share.getAsDouble()) : "";
    }

    /** The services that spent at least 0.005 ms per user, heaviest first: "stream 0.412 · cassandra 0.301". */
    static String cpuPerUser(Map<String, Double> cpuSeconds, long users) {
        if (users <= 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        cpuSeconds.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() * 1000 / users >= 0.005)
                .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue() * 1000 / users)));
        return String.join(" · ", parts);
    }

    private String csv() {
        StringBuilder csv = new StringBuilder("section,name,rate_asked,rate_landed,users,seconds,users_per_s,p50_ms,p95_ms,p99_ms,max_ms,cpu_s,peak_rss_mib\n");
        if (endToEnd != null) {
            csv.append(String.format(Locale.ROOT, "end_to_end,fetch to cassandra,,,%d,%.3f,%.1f,,,,,,%n", endToEnd.inCassandra(), endToEnd.seconds(),
                    endToEnd.perSecond()));
        }
        for (Latency l : latencies) {
            csv.append(String.format(Locale.ROOT, "latency,fetch to cassandra,%d,%.1f,%d,,,%d,%d,%d,%d,,%n", l.rate(), l.achieved(), l.users(),
                    l.p50(), l.p95(), l.p99(), l.max()));
        }
        for (Ceiling c : ceilings) {
            csv.append(String.format(Locale.ROOT, "ceiling,%s,,,%d,%.3f,%.1f,,,,,,%n", c.stage(), c.users(), c.seconds(), c.perSecond()));
        }
        for (ServiceSampler.Usage u : usage) {
            csv.append(String.format(Locale.ROOT, "usage,%s,,,,,,,,,,%.1f,%d%n", u.service(), u.cpuSeconds(), u.peakRssBytes() / (1024 * 1024)));
        }
        for (Ceiling c : ceilings) {
            c.cpuSeconds().keySet().stream().sorted().forEach(service -> csv.append(String.format(Locale.ROOT,
                    "stage_cpu,%s: %s,,,%d,,,,,,,%.3f,%n", c.stage(), service, c.users(), c.cpuSeconds().get(service))));
        }
        return csv.toString();
    }

    private String json() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("date", date.toString()).put("count", count).put("seconds_per_rate", seconds)
                .put("cores", cores).put("source", source);
        if (endToEnd != null) {
            ObjectNode whole = root.putObject("end_to_end").put("users", endToEnd.inCassandra()).put("seconds", endToEnd.seconds())
                    .put("users_per_s", endToEnd.perSecond()).put("ingest_seconds", endToEnd.ingestSeconds());
            shareOfCassandra(endToEnd.perSecond()).ifPresent(share -> whole.put("share_of_cassandra_alone", share));
            cpuNode(whole.putObject("cpu_ms_per_user"), endToEnd.cpuSeconds(), endToEnd.inCassandra());
        }
        ArrayNode lat = root.putArray("latency");
        latencies.forEach(l -> {
            ObjectNode one = lat.addObject().put("rate_asked", l.rate()).put("rate_landed", l.achieved()).put("users", l.users())
                    .put("p50_ms", l.p50()).put("p95_ms", l.p95()).put("p99_ms", l.p99()).put("max_ms", l.max());
            ArrayNode hops = one.putArray("hops");
            l.hops().forEach(h -> hops.addObject().put("hop", h.name()).put("p50_ms", h.p50()).put("p99_ms", h.p99()));
        });
        ArrayNode stages = root.putArray("ceilings");
        ceilings.forEach(c -> {
            ObjectNode stage = stages.addObject().put("stage", c.stage()).put("users", c.users()).put("seconds", c.seconds())
                    .put("users_per_s", c.perSecond());
            shareOfCassandra(c.perSecond()).ifPresent(share -> stage.put("share_of_cassandra_alone", share));
            cpuNode(stage.putObject("cpu_ms_per_user"), c.cpuSeconds(), c.users());
        });
        Ceiling slowest = slowest();
        if (slowest != null) {
            root.put("slowest_stage", slowest.stage());
        }
        ArrayNode services = root.putArray("usage");
        usage.forEach(u -> {
            ObjectNode service = services.addObject().put("service", u.service()).put("cpu_s", u.cpuSeconds())
                    .put("peak_rss_mib", u.peakRssBytes() / (1024 * 1024));
            if (endToEnd != null) {
                service.put("cpu_ms_per_user", endToEnd.cpuMillisPerUser(u.service()));
            }
        });
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void cpuNode(ObjectNode node, Map<String, Double> cpuSeconds, long users) {
        cpuSeconds.keySet().stream().sorted().forEach(service -> node.put(service, users > 0 ? cpuSeconds.get(service) * 1000 / users : 0));
    }
}
