package dev.userpipeline.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Keeps a small JSON file with each query's state and latest progress (rates, batch duration, offsets),
 * rewritten atomically after every event, so that {@code pipeline status} can show the job without
 * reaching into it.
 */
final class ProgressFile extends StreamingQueryListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long pid = ProcessHandle.current().pid();
    private final String host = JobProgress.localHost();
    private final Map<String, ObjectNode> queries = new TreeMap<>();

    ProgressFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public synchronized void onQueryStarted(QueryStartedEvent event) {
        ObjectNode query = query(event.name());
        query.put("state", "active");
        query.put("id", event.id().toString());
        query.put("started_at", event.timestamp());
        write();
    }

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
        ObjectNode query = query(event.progress().name());
        query.put("state", "active");
        try {
            query.set("progress", JSON.readTree(event.progress().json()));
        } catch (IOException e) {
            query.put("progress_error", e.getMessage());
        }
        write();
    }

    @Override
    public synchronized void onQueryIdle(QueryIdleEvent event) {
        write();
    }

    @Override
    public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
        queries.values().stream()
                .filter(query -> event.id().toString().equals(query.path("id").asText()))
                .forEach(query -> {
                    query.put("state", event.exception().isDefined() ? "failed" : "stopped");
                    if (event.exception().isDefined()) {
                        query.put("error", event.exception().get());
                    }
                });
        write();
    }

    private ObjectNode query(String name) {
        return queries.computeIfAbsent(name == null ? "unnamed" : name, key -> JSON.createObjectNode());
    }

    private void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("pid", pid);
        root.put("host", host);
        root.put("updated_at", Instant.now().toString());
        ObjectNode byName = root.putObject("queries");
        queries.forEach(byName::set);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Status loses its view; the job itself goes on.
            System.err.println("Cannot write " + file + ": " + e.getMessage());
        }
    }
}
