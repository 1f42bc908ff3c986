package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one validated micro-batch in a single pass over its records: valid users upserted into
 * {@code created_users} and then announced on the accepted topic, rejected records sent to the dead-letter topic.
 * Upserts make a replayed batch harmless in Cassandra, and the signups aggregate drops the ids a replay announces
 * twice. A write that fails fails the micro-batch, which the job replays from its checkpoint when started again.
 */
final class UserBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;

    private final CassandraConnector cassandra;
    private final String keyspace;
    private final String bootstrap;
    private final String acceptedTopic;
    private final String deadLetterTopic;

    UserBatchWriter(CassandraConnector cassandra, String keyspace, String bootstrap, String acceptedTopic, String deadLetterTopic) {
        this.cassandra = cassandra;
        this.keyspace = keyspace;
        this.bootstrap = bootstrap;
        this.acceptedTopic = acceptedTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void call(Dataset<Row> validated, Long batchId) {
        UserRecords.outcomes(validated).foreachPartition((ForeachPartitionFunction<Row>) this::write);
    }

    /** One partition of {@link UserRecords#outcomes}: the rows to Cassandra and dead letters to Kafka as they come, then the accepted. */
    private void write(Iterator<Row> outcomes) {
        KafkaProducer<String, String> producer = JobProducer.of(bootstrap);
        AtomicReference<Exception> refused = new AtomicReference<>();
        List<ProducerRecord<String, String>> accepted = new ArrayList<>();
        int reason = -1;
        try (CqlSession session = cassandra.openSession()) {
            CassandraUpserts upserts = new CassandraUpserts(session, keyspace, StreamContract.CREATED_USERS);
            while (outcomes.hasNext()) {
                Row row = outcomes.next();
                if (reason < 0) {
                    reason = row.fieldIndex("reason");
                }
                if (row.isNullAt(reason)) {
                    upserts.add(row);
                    accepted.add(new ProducerRecord<>(acceptedTopic, row.getString(0), row.getAs("accepted")));
                } else {
                    send(producer, new ProducerRecord<>(deadLetterTopic, row.getAs("key"), row.getAs("dead_letter")), refused);
                }
            }
            upserts.finish();
        }
        // After Cassandra, so that a user counted in the signups is always already a row.
        accepted.forEach(record -> send(producer, record, refused));
        producer.flush();
        if (refused.get() != null) {
            throw new IllegalStateException("Kafka refused a record of the job: " + refused.get().getMessage(), refused.get());
        }
    }

    private static void send(KafkaProducer<String, String> producer, ProducerRecord<String, String> record, AtomicReference<Exception> refused) {
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                refused.compareAndSet(null, error);
            }
        });
    }
}
