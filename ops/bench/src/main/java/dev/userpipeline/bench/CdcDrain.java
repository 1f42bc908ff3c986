package dev.userpipeline.bench;

import dev.userpipeline.cdc.ChangeCapture;
import dev.userpipeline.clients.TopicSize;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.stream.StreamSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * The ceiling of change data capture alone: users landed while the connector is stopped, then streamed into
 * {@code users_created} from its resume, timed from the first of them in the topic to the last.
 *
 * <p>Stopped, not paused: a paused Debezium task keeps decoding the WAL into its queue (up to
 * {@code max.queue.size} events), which would be counted as work done in no time after the resume. And timed
 * from the first event, not from the resume: the task's own start after a stop is not throughput.
 */
final class CdcDrain {

    /** What one drain measured: from the first event in the topic to the last. */
    record Result(IngestProgress landed, int events, Instant first, Instant last) {
        double seconds() {
            return Duration.between(first, last).toMillis() / 1000.0;
        }

        double eventsPerSecond() {
            return seconds() > 0 ? events / seconds() : 0;
        }
    }

    private final Settings settings;
    private final String bootstrap;
    private final ChangeCapture capture;

    CdcDrain(Settings settings, String bootstrap) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.capture = new ChangeCapture(URI.create("http://" + settings.get(ConnectSettings.HOST) + ":" + settings.get(ConnectSettings.PORT) + "/"),
                bootstrap);
    }

    /** Lands {@code count} users from memory with the connector stopped; it is resumed if landing fails. */
    IngestProgress land(RandomUserClient client, int pageSize, List<LandingTableWriter> writers, long count, String batch) throws Exception {
        capture.stop();
        try {
            return IngestBench.landOnly(client, pageSize, writers, count, batch);
        } catch (Exception | Error e) {
            capture.resume();
            throw e;
        }
    }

    /**
     * Resumes the connector and waits until the landed users of {@code batch} are in the topic.
     *
     * <p>Reading 300,000 values while they stream would take a tenth of the two cores from the stage being
     * measured, so the topic's committed end offsets are watched meanwhile, and the users are read after,
     * by their record timestamps.
     */
    Result stream(IngestProgress landed, String batch, Duration timeout) throws Exception {
        try (TopicWatch watch = new TopicWatch(bootstrap, settings.get(StreamSettings.TOPIC));
                Admin admin = TopicSize.admin(bootstrap)) {
            long before = committedEnd(admin);
            Instant resumed = Instant.now();
            capture.resume();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (committedEnd(admin) - before < landed.inserted() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            List<TopicWatch.Arrival> arrivals = watch.await(batch, (int) landed.inserted(),
                    Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(30).toNanos())));
            Instant first = arrivals.stream().map(TopicWatch.Arrival::inTopic).min(Instant::compareTo).orElse(resumed);
            Instant last = arrivals.stream().map(TopicWatch.Arrival::inTopic).max(Instant::compareTo).orElse(resumed);
            return new Result(landed, arrivals.size(), first, last);
        }
    }

    /** The sum of the topic's end offsets for a read_committed consumer (transaction markers included). */
    private long committedEnd(Admin admin) throws Exception {
        return TopicSize.records(admin, settings.get(StreamSettings.TOPIC));
    }
}
