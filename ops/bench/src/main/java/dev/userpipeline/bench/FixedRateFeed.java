package dev.userpipeline.bench;

import dev.userpipeline.ingest.ContinuousIngest;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;

/** Lands users of one batch at a fixed rate for a while, as the benchmarks' latency runs do. */
final class FixedRateFeed {

    private FixedRateFeed() {
    }

    /** Lands users of batch {@code batch} (also its seed) at {@code rate} users/s for {@code seconds}, then stops. */
    static void run(RandomUserClient client, LandingTableWriter writer, int rate, int seconds, String batch) throws InterruptedException {
        ContinuousIngest feeder = new ContinuousIngest(client, RandomUserQuery.of(1, batch, 1), rate, batch, "bench");
        Thread feeding = new Thread(() -> {
            try {
                feeder.run(writer, p -> { }, problem -> { });
            } catch (Exception stopped) {
                // Interrupted at the end of the run.
            }
        }, "bench-feeder");
        feeding.start();
        Thread.sleep(seconds * 1000L);
        feeding.interrupt();
        feeding.join(60_000);
    }
}
