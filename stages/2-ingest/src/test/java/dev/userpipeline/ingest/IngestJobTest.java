package dev.userpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userpipeline.config.InvalidSettingException;
import dev.userpipeline.config.Settings;
import dev.userpipeline.offline.OfflineSourceServer;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest job against the real offline source, served on loopback: pages of one seed, fetched ahead and
 * handed whole to the sinks. The landing table itself is tested on the stack (IngestIT).
 */
class IngestJobTest {

    static OfflineSourceServer server;
    static Settings settings;

    @BeforeAll
    static void start() throws Exception {
        server = new OfflineSourceServer("127.0.0.1", 0, 2).start();
        settings = Settings.of(IngestRunner.SETTINGS).args("--ingest-source=offline", "--offline-port=" + server.port(),
                "--ingest-attempts=2").resolve();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Keeps every page it is given, as a landing table would, and counts users it has seen as duplicates. */
    static final class KeptPages implements BatchSink {
        final List<RandomUserPage> pages = Collections.synchronizedList(new ArrayList<>());
        final Set<UUID> ids = Collections.synchronizedSet(new HashSet<>());

        @Override
        public BatchResult write(RandomUserPage page, String batchId, String source) {
            pages.add(page);
            int inserted = 0;
            for (RandomUserPage.FetchedUser fetched : page.users()) {
                if (ids.add(fetched.user().id())) {
                    inserted++;
                }
            }
            return new BatchResult(page.users().size(), inserted, page.rejected().size());
        }
    }

    @Test
    void aCountThatIsNotAWholeNumberOfPagesFetchesJustThatManyUsers() throws Exception {
        KeptPages sink = new KeptPages();
        SourceChoice source = SourceChoice.resolve(settings);
        IngestProgress done = new IngestJob(source.client(settings), RandomUserQuery.of(1_000, "pages", 1), 4_500, "b", "offline")
                .run(List.of(sink, new KeptPages()), p -> { });
        assertThat(done.fetched()).isEqualTo(4_500);
        assertThat(done.batches()).isEqualTo(5);
    }

    @Test
    void theSameSeedTwiceGivesTheSameUsersSoTheSecondRunLandsNoneAnew() throws Exception {
        KeptPages sink = new KeptPages();
        SourceChoice source = SourceChoice.resolve(settings);
        IngestProgress first = new IngestJob(source.client(settings), RandomUserQuery.of(500, "again", 1), 2_000, "b", "offline")
                .run(sink, p -> { });
        IngestProgress second = new IngestJob(source.client(settings), RandomUserQuery.of(500, "again", 1), 2_000, "b", "offline")
                .run(sink, p -> { });
        assertThat(first.inserted()).isEqualTo(2_000);
        assertThat(second.inserted()).isZero();
        assertThat(second.duplicates()).isEqualTo(2_000);
        assertThat(sink.ids).hasSize(2_000);
    }

    @Test
    void theSourceIsTheOfflineServerARandomuserUrlOrRefusedWithTheFix() {
        assertThat(SourceChoice.resolve(settings).url().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/api/");
        Settings url = Settings.of(IngestRunner.SETTINGS).args("--ingest-source=http://api.example:8080/api/").resolve();
        assertThat(SourceChoice.resolve(url).label()).isEqualTo("api.example");
        Settings bad = Settings.of(IngestRunner.SETTINGS).args("--ingest-source=ftp://nowhere").resolve();
        assertThatThrownBy(() -> SourceChoice.resolve(bad)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ingest.source 'ftp://nowhere'").hasMessageContaining("--ingest-source SOURCE");
    }

    @Test
    void aMaximumRateSpacesTheRequestsOut() throws Exception {
        KeptPages sink = new KeptPages();
        long begin = System.nanoTime();
        IngestProgress done = new IngestJob(SourceChoice.resolve(settings).client(settings), RandomUserQuery.of(100, "paced", 1), 400,
                "paced", "offline").maxRate(200).run(sink, p -> { });
        // Page k (from 0) is not asked for before k * 100 / 200 s: the fourth page waits 1.5 s.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(1_500));
        assertThat(done.fetched()).isEqualTo(400);
    }

    @Test
    void theSummaryAndItsJsonTwinSayWhatLanded() {
        IngestProgress progress = new IngestProgress(10, 10, 8, 2, 1, 1, java.time.Duration.ofSeconds(2), 0, 0, 0, 0);
        assertThat(progress.summary()).isEqualTo("fetched 10, inserted 8, duplicates 2, quarantined 1, 2.0 s, 5 users/s");
        IngestProgress resumed = new IngestProgress(25, 10, 8, 2, 1, 1, java.time.Duration.ofSeconds(2), 3, 15, 1, 4);
        assertThat(resumed.summary()).endsWith("; skipped 3 pages (15 users) an earlier run landed; 1 pages held fewer users than asked, 4 users short");
        assertThat(resumed.json("b", "offline")).contains("\"skipped_pages\":3", "\"short_pages\":1", "\"missing\":4");
        assertThat(progress.json("batch \"1\"", "offline")).startsWith("{\"batch_id\":\"batch \\\"1\\\"\",\"source\":\"offline\",\"fetched\":10,\"inserted\":8");
    }
}
