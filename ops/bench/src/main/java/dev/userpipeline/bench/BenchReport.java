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

/** The figures of one {@code pipeline bench} run, and their files: Markdown, CSV, JSON and an SVG plot. */
final class BenchReport {

    /** One stage measured alone. */
    record Ceiling(String stage, long users, double seconds) {
        double perSecond() {
            return seconds > 0 ? users / seconds : 0;
        }
    }

    /** Fetch-to-Cassandra latency of every user landed at one fixed rate. */
    record Latency(int rate, double achieved, int users, long p50, long p95, long p99, long max) {
    }

    /** N users as fast as possible: from the start of the fetch to the last row written in Cassandra. */
    record EndToEnd(long inCassandra, long landed, double seconds, double ingestSeconds) {
        double perSecond() {
            return seconds > 0 ? inCassandra / seconds : 0;
        }
    }

    static final double TARGET_USERS_PER_SECOND = 20_000;
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

    void ceiling(String stage, long users, double elapsedSeconds) {
        ceilings.add(new Ceiling(stage, users, elapsedSeconds));
    }

    void endToEnd(long inCassandra, long landed, double elapsedSeconds, double ingestSeconds) {
        endToEnd = new EndToEnd(inCassandra, landed, elapsedSeconds, ingestSeconds);
    }

    void latency(int rate, double achieved, long[] sortedMillis) {
        latencies.add(new Latency(rate, achieved, sortedMillis.length, TopicWatch.percentile(sortedMillis, 50),
                TopicWatch.percentile(sortedMillis, 95), TopicWatch.percentile(sortedMillis, 99), TopicWatch.percentile(sortedMillis, 100)));
    }

    void usage(List<ServiceSampler.Usage> measured) {
        this.usage = measured;
    }

    Ceiling slowest() {
        return ceilings.stream().min(Comparator.comparingDouble(Ceiling::perSecond)).orElse(null);
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
            lines.add("| users | in Cassandra | seconds, first fetch to last Cassandra write | users/s | of which fetch + land |");
            lines.add("|---|---|---|---|---|");
            lines.add(String.format(Locale.ROOT, "| %,d | %,d | %.1f | **%,.0f** | %.1f s |", endToEnd.landed(), endToEnd.inCassandra(),
                    endToEnd.seconds(), endToEnd.perSecond(), endToEnd.ingestSeconds()));
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
        lines.add("");
        lines.add("## (c) Each stage alone");
        lines.add("");
        lines.add("| stage | users | seconds | users/s |");
        lines.add("|---|---|---|---|");
        for (Ceiling c : ceilings) {
            lines.add(String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f |", c.stage(), c.users(), c.seconds(), c.perSecond()));
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
        if (endToEnd != null) {
            lines.add(String.format(Locale.ROOT, "| end to end ≥ %,.0f users/s | %,.0f users/s | %s |", TARGET_USERS_PER_SECOND,
                    endToEnd.perSecond(), endToEnd.perSecond() >= TARGET_USERS_PER_SECOND ? "yes" : "no"));
        }
        latencies.stream().filter(l -> l.rate() == 1_000).findFirst().ifPresent(l -> lines.add(String.format(Locale.ROOT,
                "| p99 ≤ %,d ms at 1,000 users/s | %,d ms | %s |", TARGET_P99_MILLIS, l.p99(), l.p99() <= TARGET_P99_MILLIS ? "yes" : "no")));
        if (endToEnd != null && slowest != null) {
            double share = endToEnd.perSecond() / slowest.perSecond();
            lines.add(String.format(Locale.ROOT, "| end to end ≥ %.1f × the slowest stage (%s) | %.2f × | %s |", TARGET_SHARE_OF_SLOWEST,
                    slowest.stage(), share, share >= TARGET_SHARE_OF_SLOWEST ? "yes" : "no"));
        }
        lines.add("");
        lines.add("## (d) What each service used during the run");
        lines.add("");
        lines.add("| service | CPU seconds | peak resident memory |");
        lines.add("|---|---|---|");
        for (ServiceSampler.Usage u : usage) {
            lines.add(String.format(Locale.ROOT, "| %s | %,.1f | %,d MiB |", u.service(), u.cpuSeconds(), u.peakRssBytes() / (1024 * 1024)));
        }
        lines.add("");
        lines.add("Sampled each second; a service's memory is the sum over its processes, so PostgreSQL's shared buffers "
                + "count once per backend. The launcher's own fetching and landing are not in the table.");
        return lines;
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
        return csv.toString();
    }

    private String json() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("date", date.toString()).put("count", count).put("seconds_per_rate", seconds)
                .put("cores", cores).put("source", source);
        if (endToEnd != null) {
            root.putObject("end_to_end").put("users", endToEnd.inCassandra()).put("seconds", endToEnd.seconds())
                    .put("users_per_s", endToEnd.perSecond()).put("ingest_seconds", endToEnd.ingestSeconds());
        }
        ArrayNode lat = root.putArray("latency");
        latencies.forEach(l -> lat.addObject().put("rate_asked", l.rate()).put("rate_landed", l.achieved()).put("users", l.users())
                .put("p50_ms", l.p50()).put("p95_ms", l.p95()).put("p99_ms", l.p99()).put("max_ms", l.max()));
        ArrayNode stages = root.putArray("ceilings");
        ceilings.forEach(c -> stages.addObject().put("stage", c.stage()).put("users", c.users()).put("seconds", c.seconds())
                .put("users_per_s", c.perSecond()));
        Ceiling slowest = slowest();
        if (slowest != null) {
            root.put("slowest_stage", slowest.stage());
        }
        ArrayNode services = root.putArray("usage");
        usage.forEach(u -> services.addObject().put("service", u.service()).put("cpu_s", u.cpuSeconds())
                .put("peak_rss_mib", u.peakRssBytes() / (1024 * 1024)));
        return mapper.writeValueAsString(root) + "\n";
    }
}
