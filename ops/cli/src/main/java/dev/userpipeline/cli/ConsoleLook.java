package dev.userpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ConsoleSettings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A look at every service taken by the stack's console, which keeps a warm process and its clients: it
 * answers in a few hundred milliseconds, where a cold process of the launcher's spends about two seconds
 * loading the clients of five protocols (8,400 classes) before it asks anything.
 */
final class ConsoleLook {

    /** How recent a look of the console's may be to stand for one taken now. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleLook() {
    }

    /**
     * The services as the console of the stack these settings describe sees them now; empty when the console is
     * off, does not answer in time, answers anything but a look, or is the console of another work directory.
     */
    static Optional<List<ServiceStatus>> of(Settings settings) {
        if (!settings.get(ConsoleSettings.ENABLED)) {
            return Optional.empty();
        }
        String host = settings.get(ConsoleSettings.HOST);
        // A console listening on every address is reached on loopback.
        String reach = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        URI uri = URI.create(ConsoleSettings.url(reach, settings.get(ConsoleSettings.PORT)) + "api/status?maxAgeMillis=" + MAX_AGE.toMillis());
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT.toMillis());
            connection.setReadTimeout((int) ANSWER.toMillis());
            try (InputStream in = connection.getInputStream()) {
                if (connection.getResponseCode() != 200) {
                    return Optional.empty();
                }
                JsonNode answer = JSON.readTree(in);
                Path home = settings.get(StackSettings.HOME).toAbsolutePath().normalize();
                // Another stack's console may hold the port (a stack of another work directory on the defaults).
                if (!home.toString().equals(answer.path("home").asText())) {
                    return Optional.empty();
                }
                return parse(answer);
            } finally {
                connection.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // Not there, too slow or not a console of this version: status looks by itself.
            return Optional.empty();
        }
    }

    static Optional<List<ServiceStatus>> parse(JsonNode answer) {
        JsonNode services = answer.path("services");
        if (!services.isArray() || services.isEmpty()) {
            return Optional.empty();
        }
        List<ServiceStatus> statuses = new ArrayList<>();
        services.forEach(s -> statuses.add(ServiceStatus.readFrom(s)));
        return Optional.of(statuses);
    }
}
