package dev.userpipeline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The reasons the stream job gave for rejecting given users, read from the dead-letter topic since a moment. */
public final class DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicTrace trace;
    private final String topic;
    private final Duration timeout;

    public DeadLetters(TopicTrace trace, String topic, Duration timeout) {
        this.trace = trace;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Each of these users that has a dead letter since {@code since}, with its reason. */
    public Map<UUID, String> reasons(Set<UUID> ids, Instant since) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, String> reasons = new HashMap<>();
        trace.find(topic, since, ids, timeout).forEach((id, letter) -> reasons.put(id, reasonOf(letter)));
        return reasons;
    }

    static String reasonOf(String letter) {
        try {
            String reason = JSON.readTree(letter).path("reason").asText("");
            return reason.isBlank() ? "(no reason given)" : reason;
        } catch (Exception e) {
            return "(dead letter unreadable)";
        }
    }

    /** How many users each reason rejected, the most frequent first. */
    public static Map<String, Long> counted(Map<UUID, String> reasons) {
        Map<String, Long> counts = new TreeMap<>();
        reasons.values().forEach(reason -> counts.merge(reason, 1L, Long::sum));
        return counts;
    }

    /** "reason: n; reason: n". */
    public static String describe(Map<String, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(e.getKey()).append(": ").append(String.format(java.util.Locale.ROOT, "%,d", e.getValue()));
        });
        return out.toString();
    }
}
