package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What the supervisor did about one service since {@code up} last started it: how often it started it again,
 * when, the last death it saw, and whether it gave up. Kept in the work directory ({@code run/SERVICE.restarts}),
 * where {@code status} and the console read it.
 *
 * @param count      restarts since up started the service
 * @param times      when each recent restart happened, oldest first (the restart window's worth)
 * @param lastDeath  what the supervisor last saw die, e.g. "died at ... (exit code 137)", or empty
 * @param gaveUp     why it no longer restarts the service, or empty while it does
 */
public record Restarts(int count, List<Instant> times, String lastDeath, String gaveUp) {

    public static final Restarts NONE = new Restarts(0, List.of(), "", "");

    public Restarts {
        times = List.copyOf(times);
        lastDeath = lastDeath == null ? "" : lastDeath;
        gaveUp = gaveUp == null ? "" : gaveUp;
    }

    public boolean givenUp() {
        return !gaveUp.isEmpty();
    }

    /** After a restart at {@code at}: the count and the times grow, only those within the window kept. */
    Restarts restarted(Instant at, RestartPolicy policy) {
        List<Instant> kept = new ArrayList<>(policy.recent(times, at));
        kept.add(at);
        return new Restarts(count + 1, kept, lastDeath, "");
    }

    Restarts died(String what) {
        return new Restarts(count, times, what, gaveUp);
    }

    Restarts givenUp(String why) {
        return new Restarts(count, times, lastDeath, why);
    }

    /** What status shows beside the service's own detail, or empty. */
    public String summary() {
        if (givenUp()) {
            return "supervisor " + gaveUp + (lastDeath.isEmpty() ? "" : "; last " + lastDeath);
        }
        if (count > 0) {
            return "restarted " + count + "x by the supervisor" + (lastDeath.isEmpty() ? "" : ", last " + lastDeath);
        }
        return "";
    }

    public ObjectNode writeTo(ObjectNode node) {
        node.put("restarts", count);
        node.put("restartsGivenUp", givenUp());
        node.put("supervision", summary());
        times.forEach(t -> node.withArray("restartTimes").add(t.toString()));
        node.put("lastDeath", lastDeath);
        node.put("gaveUp", gaveUp);
        return node;
    }

    /** The restarts {@link #writeTo} wrote into a service's JSON object; none where its fields are missing. */
    public static Restarts readFrom(JsonNode node) {
        List<Instant> times = new ArrayList<>();
        node.path("restartTimes").forEach(t -> times.add(Instant.parse(t.asText())));
        return new Restarts(node.path("restarts").asInt(0), times, node.path("lastDeath").asText(""), node.path("gaveUp").asText(""));
    }

    static Restarts read(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            String times = p.getProperty("times", "").trim();
            return new Restarts(Integer.parseInt(p.getProperty("count", "0").trim()),
                    times.isEmpty() ? List.of() : Arrays.stream(times.split(",")).map(String::trim).map(Instant::parse).toList(),
                    p.getProperty("last.death", ""), p.getProperty("gave.up", ""));
        } catch (IOException | RuntimeException e) {
            // A record cut short or edited by hand: the supervisor starts counting again.
            return NONE;
        }
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("count", Integer.toString(count));
        p.setProperty("times", String.join(",", times.stream().map(Instant::toString).toList()));
        p.setProperty("last.death", lastDeath);
        p.setProperty("gave.up", gaveUp);
        StringWriter text = new StringWriter();
        p.store(text, "What the supervisor did about this service since up started it");
        OwnerOnlyFiles.write(file, text.toString());
    }
}
