package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stopping, restarting and recovering the stack; every test leaves it up, so they pass in any order. */
@ExtendWith(StackExtension.class)
class StackLifecycleIT {

    @Test
    void downStopsEveryProcessAndFreesEveryPortAndUpFindsTheDataAgain(TestStack test) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = Clients.postgres(); Statement st = c.createStatement()) {
            st.execute("create table if not exists it_lifecycle (id uuid primary key)");
            st.execute("insert into it_lifecycle values ('" + id + "')");
        }
        try (CqlSession session = Clients.cassandra()) {
            session.execute("create keyspace if not exists it_stack with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("create table if not exists it_stack.lifecycle (id uuid primary key)");
            session.execute(session.prepare("insert into it_stack.lifecycle (id) values (?)").bind(id));
        }
        List<ProcessHandle> processes = test.stack.serviceNames().stream()
                .flatMap(name -> test.stack.process(name).stream()).toList();
        assertThat(test.stack.serviceNames()).filteredOn(name -> test.stack.process(name).isPresent())
                .contains("postgres", "kafka", "cassandra", "connect", "offline-source");
        List<ProcessHandle> postgresChildren = test.stack.process("postgres").orElseThrow().descendants().toList();

        test.stack.down(false, StackListener.SILENT);

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(postgresChildren).noneMatch(ProcessHandle::isAlive);
        assertThat(TestStack.ports()).allMatch(port -> PortCheck.isFree("127.0.0.1", port));
        assertThat(test.stack.status()).allMatch(s -> s.state() == ServiceStatus.State.STOPPED || s.state() == ServiceStatus.State.OFF);

        test.stack.up(StackListener.SILENT);

        try (Connection c = Clients.postgres(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from it_lifecycle where id = '" + id + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        try (CqlSession session = Clients.cassandra()) {
            assertThat(session.execute(session.prepare("select id from it_stack.lifecycle where id = ?").bind(id)).one()).isNotNull();
        }
    }

    @Test
    void aServiceKilledWithSigkillIsStartedAgainByUpAndTheOthersAreLeftAlone(TestStack test) throws InterruptedException {
        Map<String, Long> before = StackIT.pids(test.stack);
        ProcessHandle kafka = test.stack.process("kafka").orElseThrow();
        kafka.destroyForcibly();
        ProcessStopper.awaitExit(kafka, Duration.ofSeconds(30));
        assertThat(test.stack.statusOf(test.stack.service("kafka").orElseThrow()).state()).isEqualTo(ServiceStatus.State.STOPPED);

        List<String> started = new CopyOnWriteArrayList<>();
        test.stack.up(new StackListener() {
            @Override
            public void started(String service, long pid) {
                started.add(service);
            }
        });

        assertThat(started).containsExactly("kafka");
        Map<String, Long> after = StackIT.pids(test.stack);
        assertThat(after.get("postgres")).isEqualTo(before.get("postgres"));
        assertThat(after.get("cassandra")).isEqualTo(before.get("cassandra"));
        assertThat(after.get("kafka")).isNotEqualTo(before.get("kafka"));
        // Connect notices the new broker a moment after up, and rebalances (its connector briefly UNASSIGNED).
        List<ServiceStatus> statuses = test.stack.status();
        for (int i = 0; i < 60 && !statuses.stream().allMatch(s -> s.isHealthy() || s.state() == ServiceStatus.State.OFF); i++) {
            Thread.sleep(1_000);
            statuses = test.stack.status();
        }
        assertThat(statuses).allMatch(s -> s.isHealthy() || s.state() == ServiceStatus.State.OFF);
    }

    @Test
    void aPostmasterNoLauncherKnowsAboutIsStoppedBeforePostgresStartsAgain(TestStack test) throws Exception {
        ProcessHandle orphan = test.stack.process("postgres").orElseThrow();
        // The launcher's record is lost (as after a crash that took the work directory's run files),
        // while the postmaster lives on and holds the port and the data directory.
        Files.delete(test.stack.pidFile("postgres"));
        assertThat(test.stack.process("postgres")).isEmpty();

        List<String> notes = new CopyOnWriteArrayList<>();
        test.stack.up(new StackListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });

        assertThat(orphan.isAlive()).isFalse();
        assertThat(notes).anyMatch(n -> n.contains("left by an earlier run (pid " + orphan.pid() + ")"));
        Optional<ProcessHandle> fresh = test.stack.process("postgres");
        assertThat(fresh).isPresent();
        assertThat(fresh.get().pid()).isNotEqualTo(orphan.pid());
        try (Connection c = Clients.postgres(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
        }
    }
}
