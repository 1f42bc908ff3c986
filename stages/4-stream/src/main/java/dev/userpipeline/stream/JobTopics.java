package dev.userpipeline.stream;

import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The topic the job writes, created before its first micro-batch needs it: the dead letters. */
public final class JobTopics {

    /** Dead letters are evidence to look at, so they are kept longer than the users themselves. */
    static final long DEAD_LETTER_RETENTION_MS = TimeUnit.DAYS.toMillis(30);

    private JobTopics() {
    }

    /** Kept a month; messages up to the size a dead letter with its whole original can reach. */
    static Map<String, String> deadLetterConfig() {
        return Map.of("retention.ms", Long.toString(DEAD_LETTER_RETENTION_MS),
                "max.message.bytes", Integer.toString(DeadLetter.MAX_MESSAGE_BYTES));
    }

    public static void ensure(Settings settings) throws InterruptedException {
        String deadLetters = settings.get(StreamSettings.DLQ_TOPIC);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(ServiceAddresses.KAFKA));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(deadLetters)) {
                missing.add(new NewTopic(deadLetters, Optional.of(1), Optional.empty()).configs(deadLetterConfig()));
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name() + " on "
                                + settings.get(ServiceAddresses.KAFKA) + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            if (existing.contains(deadLetters)) {
                // A topic created before its limit was raised gets it now: the same call again changes nothing.
                List<AlterConfigOp> ops = deadLetterConfig().entrySet().stream()
                        .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, deadLetters), ops)).all().get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list the topics of " + settings.get(ServiceAddresses.KAFKA) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
