package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the supervisor starts a dead service again, and when it gives up. */
class RestartPolicyTest {

    static final RestartPolicy POLICY = new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(60));
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void theFirstRestartComesAfterASecondAndEachLaterOneWaitsTwiceAsLongUpToTheMaximum() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7, 20).stream().map(POLICY::delay).map(Duration::toSeconds).toList())
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(POLICY.decide(List.of(), T0, T0)).isEqualTo(new RestartPolicy.RestartAt(T0.plusSeconds(1)));
        assertThat(POLICY.decide(List.of(T0.minusSeconds(30), T0.minusSeconds(20)), T0, T0))
                .isEqualTo(new RestartPolicy.RestartAt(T0.plusSeconds(4)));
    }

    @Test
    void aServiceThatDiedAsOftenAsTheLimitWithinTheWindowIsGivenUpOn() {
        List<Instant> five = List.of(T0.minusSeconds(500), T0.minusSeconds(400), T0.minusSeconds(300), T0.minusSeconds(200),
                T0.minusSeconds(100));
        RestartPolicy.Decision decision = POLICY.decide(five, T0, T0);
        assertThat(decision).isInstanceOf(RestartPolicy.GiveUp.class);
        assertThat(((RestartPolicy.GiveUp) decision).reason())
                .isEqualTo("gave up after 5 restarts within 10 min; `pipeline up` starts it again, its log says why it died");
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCount() {
        List<Instant> old = List.of(T0.minusSeconds(3_000), T0.minusSeconds(2_000), T0.minusSeconds(1_000), T0.minusSeconds(700),
                T0.minusSeconds(100));
        assertThat(POLICY.recent(old, T0)).containsExactly(T0.minusSeconds(100));
        assertThat(POLICY.decide(old, T0, T0)).isEqualTo(new RestartPolicy.RestartAt(T0.plusSeconds(2)));
    }

    @Test
    void aLimitOfZeroNeverRestarts() {
        RestartPolicy never = new RestartPolicy(0, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(never.decide(List.of(), T0, T0)).isEqualTo(new RestartPolicy.GiveUp("restarts are off (supervisor.restart.limit is 0)"));
    }

    @Test
    void aServiceRecordKeepsOnlyTheWindowsRestartsAndIsWrittenForItsOwnerOnly(@TempDir Path dir) throws Exception {
        Restarts restarts = Restarts.NONE;
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant when = T0.plusSeconds(i * 400L);
            at.add(when);
            restarts = restarts.died("death at " + when).restarted(when, POLICY);
        }
        assertThat(restarts.count()).isEqualTo(4);
        // At 1,200 s, the restarts at 0 and 400 s are older than the 10-minute window.
        assertThat(restarts.times()).containsExactly(at.get(2), at.get(3));
        assertThat(restarts.summary()).isEqualTo("restarted 4x by the supervisor, last death at " + at.get(3));

        Restarts given = restarts.givenUp("gave up after 5 restarts within 10 min");
        Path file = dir.resolve("run/stream.restarts");
        given.write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Restarts.read(file)).isEqualTo(given);
        assertThat(Restarts.read(dir.resolve("absent"))).isEqualTo(Restarts.NONE);
        assertThat(given.summary()).startsWith("supervisor gave up after 5 restarts within 10 min; last death at ");
    }
}
