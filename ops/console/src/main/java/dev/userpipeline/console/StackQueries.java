package dev.userpipeline.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.delivery.UserTrace;
import dev.userpipeline.services.airflow.AirflowApi;
import dev.userpipeline.services.airflow.AirflowEnvironment;
import dev.userpipeline.services.airflow.AirflowSecrets;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.stack.StackSettings;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.stream.StreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the console asks the stack on request, beside its looks: one user's trace, the topics and their messages,
 * the dead letters by reason, the Connect cluster and the actions on its connectors, Airflow's latest runs. Each call reads the settings the
 * work directory holds then, so a stack started again on other ports is followed.
 */
interface StackQueries {

    /** How long reading each topic may take for a trace asked in the browser. */
    Duration TRACE_TIMEOUT = Duration.ofSeconds(20);

    ObjectNode trace(String user) throws Exception;

    ObjectNode topics() throws Exception;

    ObjectNode messages(String topic, Integer partition, int limit) throws Exception;

    ObjectNode deadLetters() throws Exception;

    ObjectNode connectors() throws Exception;

    String act(String connector, String action) throws Exception;

    ObjectNode airflowRuns() throws Exception;

    /** The queries of the stack these settings describe, asked anew at each call. */
    static StackQueries of(Supplier<Settings> settings) {
        return new StackQueries() {
            @Override
            public ObjectNode trace(String user) throws Exception {
                return UserTrace.of(settings.get(), user, TRACE_TIMEOUT).toJson();
            }

            @Override
            public ObjectNode topics() throws Exception {
                try (TopicBrowser browser = browser()) {
                    return browser.topics();
                }
            }

            @Override
            public ObjectNode messages(String topic, Integer partition, int limit) {
                try (TopicBrowser browser = browser()) {
                    return browser.messages(topic, partition, limit);
                }
            }

            @Override
            public ObjectNode deadLetters() {
                try (TopicBrowser browser = browser()) {
                    return browser.deadLetters(settings.get().get(StreamSettings.DLQ_TOPIC));
                }
            }

            @Override
            public ObjectNode connectors() throws Exception {
                return connect().connectors();
            }

            @Override
            public String act(String connector, String action) throws Exception {
                return connect().act(connector, action);
            }

            @Override
            public ObjectNode airflowRuns() throws Exception {
                Settings now = settings.get();
                if (!now.get(AirflowSettings.ENABLED)) {
                    throw new IllegalStateException("Airflow is not part of this stack (airflow.enabled is false)");
                }
                java.nio.file.Path airflowHome = AirflowEnvironment.airflowHome(now.get(StackSettings.HOME).toAbsolutePath());
                if (!java.nio.file.Files.isRegularFile(airflowHome.resolve("admin-credentials"))) {
                    throw new IllegalStateException("no Airflow login in " + airflowHome + " (up writes it when it starts Airflow)");
                }
                AirflowSecrets secrets = AirflowSecrets.load(airflowHome);
                return new AirflowRuns(new AirflowApi(AirflowEnvironment.apiUrl(now), secrets.adminUser(), secrets.adminPassword()),
                        AirflowEnvironment.apiUrl(now)).latest(AirflowRuns.SHOWN);
            }

            private TopicBrowser browser() {
                return new TopicBrowser(settings.get().get(ServiceAddresses.KAFKA));
            }

            private ConnectCluster connect() {
                Settings now = settings.get();
                return new ConnectCluster(URI.create("http://" + now.get(ConnectSettings.HOST) + ":" + now.get(ConnectSettings.PORT) + "/"));
            }
        };
    }
}
