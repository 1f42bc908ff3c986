package dev.userpipeline.ingest;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.offline.OfflineSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserQuery;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The continuous-ingestion process of the stack: lands users at {@code ingest.rate} users/s until it
 * is stopped, printing a line of totals every ten seconds.
 */
public final class IngestRunner {

    public static final List<Setting<?>> SETTINGS;

    static {
        List<Setting<?>> all = new ArrayList<>(PostgresSettings.ALL);
        all.addAll(OfflineSettings.ALL);
        all.addAll(IngestSettings.ALL);
        SETTINGS = List.copyOf(all);
    }

    private IngestRunner() {
    }

    /** Opens a writer on the landing table, migrating its schema first. */
    public static LandingTableWriter openWriter(Settings settings) throws Exception {
        return openWriters(settings, 1).get(0);
    }

    /** {@code ingest.writers} writers, each on its own connection. */
    public static List<LandingTableWriter> openWriters(Settings settings) throws Exception {
        return openWriters(settings, settings.get(IngestSettings.WRITERS));
    }

    /** {@code count} writers, each on its own connection; the schema is migrated once, first. */
    public static List<LandingTableWriter> openWriters(Settings settings, int count) throws Exception {
        String url = PostgresSettings.jdbcUrl(settings);
        String user = settings.get(PostgresSettings.USER);
        String password = settings.get(PostgresSettings.PASSWORD);
        LandingSchema.migrate(url, user, password);
        List<LandingTableWriter> writers = new ArrayList<>();
        int maxUserBytes = settings.get(IngestSettings.MAX_USER_BYTES);
        try {
            for (int i = 0; i < count; i++) {
                writers.add(new LandingTableWriter(() -> DriverManager.getConnection(url, user, password), maxUserBytes));
            }
            return writers;
        } catch (Exception e) {
            closeAll(writers);
            throw e;
        }
    }

    public static void closeAll(List<LandingTableWriter> writers) {
        for (LandingTableWriter writer : writers) {
            try {
                writer.close();
            } catch (Exception ignored) {
                // Closing is best effort; a failed close loses nothing that was committed.
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("IngestRunner", SETTINGS, args);
        int rate = settings.get(IngestSettings.RATE);
        if (rate <= 0) {
            System.out.println("ingest.rate is 0: nothing to do.");
            return;
        }
        SourceChoice choice = SourceChoice.resolve(settings);
        RandomUserClient client = choice.client(settings).onRetry(message -> System.out.println("retry: " + message));
        String seed = "continuous-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        String batchId = seed;
        System.out.println("Continuous ingestion at " + rate + " users/s from " + choice.describe() + ", seed " + seed);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                main.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "ingest-stop"));
        long[] lastReport = {System.nanoTime()};
        try (LandingTableWriter writer = openWriter(settings)) {
            new ContinuousIngest(client, RandomUserQuery.of(1, seed, 1), rate, batchId, choice.label()).run(writer, progress -> {
                if (System.nanoTime() - lastReport[0] > 10_000_000_000L) {
                    lastReport[0] = System.nanoTime();
                    System.out.println(Instant.now() + " " + progress.summary());
                }
            }, problem -> System.out.println(Instant.now() + " " + problem));
        } catch (InterruptedException e) {
            System.out.println("Stopped.");
        }
    }

}
