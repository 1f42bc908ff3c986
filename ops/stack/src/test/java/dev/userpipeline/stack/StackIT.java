package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The three services of the stack, each used through its real client. */
@ExtendWith(StackExtension.class)
class StackIT {

    @Test
    void postgresIsLogicalAndDurableAndServesThePipelineRole(TestStack test) throws Exception {
        try (Connection c = Clients.postgres(); Statement st = c.createStatement()) {
            assertThat(show(st, "wal_level")).isEqualTo("logical");
            assertThat(show(st, "fsync")).isEqualTo("on");
            assertThat(show(st, "synchronous_commit")).isEqualTo("on");
            assertThat(show(st, "server_version")).startsWith("17.");
            try (ResultSet rs = st.executeQuery("select rolreplication, rolsuper from pg_roles where rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean("rolreplication")).isTrue();
                assertThat(rs.getBoolean("rolsuper")).isFalse();
            }
            st.execute("create table if not exists it_round_trip (id uuid primary key, name text not null)");
            UUID id = UUID.randomUUID();
            st.execute("insert into it_round_trip values ('" + id + "', 'Зоран Јовановић')");
            try (ResultSet rs = st.executeQuery("select name from it_round_trip where id = '" + id + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Зоран Јовановић");
            }
        }
    }

    @Test
    void kafkaCreatesATopicAndCarriesRecordsFromProducerToConsumer(TestStack test) throws Exception {
        String topic = "it-round-trip-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Clients.kafka()))) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topic);
        }
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + i, "{\"n\":" + i + "}")).get(30, TimeUnit.SECONDS);
            }
        }
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Clients.kafka());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(100);
        assertThat(received).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "user-" + i).toList());
        assertThat(received).filteredOn(r -> r.key().equals("user-42")).extracting(ConsumerRecord::value).containsExactly("{\"n\":42}");
    }

    @Test
    void cassandraStoresAndReturnsARow(TestStack test) {
        try (CqlSession session = Clients.cassandra()) {
            Row version = session.execute("select release_version from system.local").one();
            assertThat(version.getString("release_version")).startsWith("5.0");
            session.execute("create keyspace if not exists it_stack with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("create table if not exists it_stack.round_trip (id uuid primary key, name text)");
            UUID id = UUID.randomUUID();
            session.execute(session.prepare("insert into it_stack.round_trip (id, name) values (?, ?)").bind(id, "محمد رضایی"));
            Row row = session.execute(session.prepare("select name from it_stack.round_trip where id = ?").bind(id)).one();
            assertThat(row).isNotNull();
            assertThat(row.getString("name")).isEqualTo("محمد رضایی");
        }
    }

    @Test
    void statusAsksEachLiveProcess(TestStack test) {
        List<ServiceStatus> all = test.stack.status();
        assertThat(all).extracting(ServiceStatus::name).containsExactly("postgres", "kafka", "cassandra", "connect", "offline-source", "ingest",
                "spark-master", "spark-worker", "stream", "airflow-api-server", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                "console", "supervisor");
        assertThat(all.get(14).state()).as("these tests start services again themselves").isEqualTo(ServiceStatus.State.OFF);
        assertThat(all.subList(9, 13)).as("Airflow is AirflowIT's (cli module)").allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceStatus.State.OFF));
        assertThat(all.get(13).state()).as("the console is PipelineProcessIT's (cli module)").isEqualTo(ServiceStatus.State.OFF);
        assertThat(all.get(5).state()).as("no continuous ingestion at rate 0").isEqualTo(ServiceStatus.State.OFF);
        assertThat(all.subList(6, 9)).as("the Spark job is StreamIT's to start").allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceStatus.State.OFF));
        List<ServiceStatus> statuses = all.subList(0, 5);
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(ServiceStatus.State.HEALTHY);
            assertThat(s.pid()).isPresent();
            assertThat(s.residentBytes()).isPositive();
        });
        assertThat(statuses.get(0).detail()).startsWith("PostgreSQL 17.");
        assertThat(statuses.get(1).detail()).startsWith("Kafka 4.4.0");
        assertThat(statuses.get(2).detail()).startsWith("Cassandra 5.0");
        assertThat(statuses.get(3).detail()).startsWith("Connect 4.4.0, users-created RUNNING (1 task), slot lag ")
                .containsPattern("users_created [0-9,]+ records$");
        assertThat(statuses.get(4).detail()).isEqualTo("randomuser API 1.4 (offline)");
        assertThat(statuses).extracting(ServiceStatus::address)
                .containsExactly("127.0.0.1:" + TestStack.POSTGRES_PORT, "127.0.0.1:" + TestStack.KAFKA_PORT,
                        "127.0.0.1:" + TestStack.CASSANDRA_PORT, "http://127.0.0.1:" + TestStack.CONNECT_PORT,
                        "http://127.0.0.1:" + TestStack.OFFLINE_PORT + "/api/");
    }

    @Test
    void upOnARunningStackStartsNothing(TestStack test) {
        Map<String, Long> before = pids(test.stack);
        List<String> events = new CopyOnWriteArrayList<>();
        test.stack.up(new StackListener() {
            @Override
            public void started(String service, long pid) {
                events.add("started " + service);
            }

            @Override
            public void alreadyRunning(String service, long pid, String detail) {
                events.add("running " + service);
            }
        });
        assertThat(events).containsExactlyInAnyOrder("running postgres", "running kafka", "running cassandra", "running connect", "running offline-source");
        assertThat(pids(test.stack)).isEqualTo(before);
    }

    static Map<String, Long> pids(Stack stack) {
        Map<String, Long> pids = new java.util.TreeMap<>();
        for (String name : stack.serviceNames()) {
            pids.put(name, stack.process(name).map(ProcessHandle::pid).orElse(-1L));
        }
        return pids;
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
