package dev.userpipeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.Settings;
import dev.userpipeline.stack.ServiceStatus;
import dev.userpipeline.stack.StackSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When the console looks at the pipeline: only while watched, fresh after a quiet spell, anew for new settings. */
class PipelineWatchTest {

    final AtomicInteger looks = new AtomicInteger();
    final AtomicInteger countersOpened = new AtomicInteger();
    final AtomicReference<Settings> settings = new AtomicReference<>(Settings.of(StackSettings.ALL).resolve());

    PipelineWatch watch(Duration watchedFor) {
        return watch(watchedFor, Duration.ofMillis(20));
    }

    PipelineWatch watch(Duration watchedFor, Duration interval) {
        return new PipelineWatch(settings::get,
                s -> () -> {
                    looks.incrementAndGet();
                    return List.of(PipelineSnapshotTest.service("kafka", ServiceStatus.State.HEALTHY));
                },
                s -> {
                    countersOpened.incrementAndGet();
                    return new PipelineWatch.Counters() {
                        @Override
                        public List<FlowCounters.Counter> read() {
                            return List.of(FlowCounters.Counter.of("landed", "rows", looks.get()));
                        }

                        @Override
                        public void close() {
                        }
                    };
                },
                interval, watchedFor);
    }

    @Test
    void looksOnlyOnceSomeoneAsks() throws Exception {
        try (PipelineWatch watch = watch(Duration.ofMinutes(1))) {
            Thread.sleep(300);
            assertThat(looks.get()).as("nobody watched yet").isZero();

            PipelineSnapshot first = watch.latest(Duration.ofSeconds(10));

            assertThat(first).isNotNull();
            assertThat(first.services()).extracting(ServiceStatus::name).containsExactly("kafka");
        }
    }

    @Test
    void aRequestAfterAQuietSpellGetsALookTakenAfterIt() throws Exception {
        try (PipelineWatch watch = watch(Duration.ofMillis(200))) {
            watch.latest(Duration.ofSeconds(10));
            Thread.sleep(600);
            int looksWhileQuiet = looks.get();
            Thread.sleep(300);
            assertThat(looks.get()).as("no look while nobody watches").isEqualTo(looksWhileQuiet);

            Instant asked = Instant.now();
            PipelineSnapshot fresh = watch.latest(Duration.ofSeconds(10));

            assertThat(fresh.takenAt()).isAfterOrEqualTo(asked);
        }
    }

    @Test
    void aFreshLookIsTakenAtOnceRatherThanAtTheNextInterval() throws Exception {
        try (PipelineWatch watch = watch(Duration.ofMinutes(1), Duration.ofHours(1))) {
            PipelineSnapshot first = watch.latest(Duration.ofSeconds(10));
            Thread.sleep(50);

            Instant asked = Instant.now();
            PipelineSnapshot fresh = watch.fresh(Duration.ZERO, Duration.ofSeconds(10));

            assertThat(fresh).as("a look, though the next is an hour away").isNotNull();
            assertThat(fresh.takenAt().minus(fresh.took())).isAfterOrEqualTo(asked);
            assertThat(looks.get()).isEqualTo(2);

            PipelineSnapshot recentEnough = watch.fresh(Duration.ofMinutes(1), Duration.ofSeconds(10));
            assertThat(recentEnough).as("a look a minute old may stand for one taken now").isSameAs(fresh);
            assertThat(first).isNotSameAs(fresh);
        }
    }

    @Test
    void newSettingsGetNewCounters() throws Exception {
        try (PipelineWatch watch = watch(Duration.ofMinutes(1))) {
            watch.latest(Duration.ofSeconds(10));
            Thread.sleep(100);
            assertThat(countersOpened.get()).as("one set of counters while the settings hold").isEqualTo(1);

            settings.set(Settings.of(StackSettings.ALL).args("--kafka-port=19092").resolve());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (countersOpened.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(countersOpened.get()).isEqualTo(2);
        }
    }
}
