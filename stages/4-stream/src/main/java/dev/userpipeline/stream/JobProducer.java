package dev.userpipeline.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer of each JVM that runs the job's tasks, one per Kafka address, shared by its tasks (a producer is
 * thread-safe and costs a connection and a buffer). Closed when the JVM ends.
 */
final class JobProducer {

    private static final Map<String, KafkaProducer<String, String>> BY_BOOTSTRAP = new ConcurrentHashMap<>();

    private JobProducer() {
    }

    static KafkaProducer<String, String> of(String bootstrap) {
        return BY_BOOTSTRAP.computeIfAbsent(bootstrap, JobProducer::open);
    }

    private static KafkaProducer<String, String> open(String bootstrap) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Each task flushes at its end: lingering only gathers what one task sends at once.
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // A dead letter carries its original whole up to 4 MiB: past Kafka's default of 1 MiB per request.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DeadLetter.MAX_MESSAGE_BYTES,
                ProducerConfig.CLIENT_ID_CONFIG, "user-stream",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "user-stream-producer-close"));
        return producer;
    }
}
