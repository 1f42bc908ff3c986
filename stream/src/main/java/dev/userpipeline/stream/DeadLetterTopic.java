package dev.userpipeline.stream;

import dev.userpipeline.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The dead-letter topic, created before the first rejected record needs it. */
public final class DeadLetterTopic {

    /** Dead letters are evidence to look at, so they are kept longer than the users themselves. */
    static final long RETENTION_MS = TimeUnit.DAYS.toMillis(30);

    private DeadLetterTopic() {
    }

    public static void ensure(Settings settings) throws InterruptedException {
        String topic = settings.get(StreamSettings.DLQ_TOPIC);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(StreamSettings.BOOTSTRAP));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(props)) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", Long.toString(RETENTION_MS)));
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the dead-letter topic " + topic + " on "
                        + settings.get(StreamSettings.BOOTSTRAP) + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
