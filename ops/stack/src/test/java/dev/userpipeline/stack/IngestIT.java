package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.ContinuousIngest;
import dev.userpipeline.ingest.IngestFailure;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.source.RandomUserException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ingestion from the stack's offline source into its PostgreSQL, through the real client and COPY. */
@ExtendWith(StackExtension.class)
class IngestIT {

    @Test
    void oneHundredThousandUsersLandOnceAndTheSameRunAgainLandsNothing(TestStack test) throws Exception {
        String seed = "it-" + UUID.randomUUID();
        List<LandingTableWriter> writers = IngestRunner.openWriters(test.settings);
        try {
            IngestProgress first = job(test, seed, 100_000).run(writers, p -> { });
            assertThat(first.fetched()).isEqualTo(100_000);
            assertThat(first.inserted()).isEqualTo(100_000);
            assertThat(first.duplicates()).isZero();
            assertThat(first.quarantined()).isZero();

            IngestProgress again = job(test, seed, 100_000).run(writers, p -> { });
            assertThat(again.inserted()).isZero();
            assertThat(again.duplicates()).isEqualTo(100_000);
        } finally {
            IngestRunner.closeAll(writers);
        }
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select count(*), count(distinct id), count(*) filter (where payload->'login'->>'uuid' = id::text) "
                        + "from ingest.users_raw where batch_id = ?")) {
            ps.setString(1, "batch-" + seed);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
                assertThat(rs.getLong(2)).isEqualTo(100_000);
                assertThat(rs.getLong(3)).isEqualTo(100_000);
            }
        }
    }

    @Test
    void persianUkrainianAndSerbianUsersLandWithTheirTextUnchanged(TestStack test) throws Exception {
        String seed = "scripts-" + UUID.randomUUID();
        RandomUserClient client = source(test).client(test.settings);
        RandomUserQuery query = RandomUserQuery.of(300, seed, 1).withNationalities(List.of("IR", "UA", "RS"));
        RandomUserPage fetched = client.fetch(query);
        try (LandingTableWriter writer = IngestRunner.openWriter(test.settings)) {
            new IngestJob(client, query, 300, "batch-" + seed, "offline").run(writer, p -> { });
        }
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select payload->'name'->>'first', payload->'name'->>'last', payload->'location'->>'postcode', "
                        + "jsonb_typeof(payload->'location'->'postcode') from ingest.users_raw where id = ?")) {
            for (RandomUserPage.FetchedUser user : fetched.users()) {
                ps.setObject(1, user.user().id());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(user.user().name().first());
                    assertThat(rs.getString(2)).isEqualTo(user.user().name().last());
                    assertThat(rs.getString(3)).isEqualTo(user.user().location().postcode());
                    assertThat(rs.getString(4)).isEqualTo("number");
                }
            }
        }
    }

    @Test
    void whatIsNotAUserIsQuarantinedWithItsTextReasonAndBatchBesideTheGoodUsers(TestStack test) throws Exception {
        String seed = "quarantine-" + UUID.randomUUID();
        RandomUserPage good = source(test).client(test.settings).fetch(RandomUserQuery.of(5, seed, 1));
        List<RandomUserPage.RejectedUser> rejected = List.of(
                new RandomUserPage.RejectedUser("{\"name\":{\"first\":\"Без\",\"last\":\"UUID\"}}", "no login.uuid"),
                new RandomUserPage.RejectedUser("42", "not a JSON object but number"));
        RandomUserPage mixed = new RandomUserPage(good.uri(), Instant.now(), seed, 1, good.bytes(), good.users(), rejected);
        String batch = "batch-" + seed;
        try (LandingTableWriter writer = IngestRunner.openWriter(test.settings)) {
            var result = writer.write(mixed, batch, "offline");
            assertThat(result.inserted()).isEqualTo(5);
            assertThat(result.quarantined()).isEqualTo(2);
        }
        List<String> quarantined = new ArrayList<>();
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select raw, reason, source from ingest.users_quarantine where batch_id = ? order by id")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    quarantined.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
                }
            }
        }
        assertThat(quarantined).containsExactly(
                "{\"name\":{\"first\":\"Без\",\"last\":\"UUID\"}} | no login.uuid | offline",
                "42 | not a JSON object but number | offline");
        try (Connection c = Clients.postgres(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from ingest.users_raw where batch_id = '" + batch + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5);
        }
    }

    // --- an API that misbehaves ------------------------------------------------------------------------

    @Test
    void twentyFiveThousandUsersLandOnceFromAnApiThatClosesUpgradesAndRationsTwentyThousandPerWindow(TestStack test) throws Exception {
        String seed = "rationed-" + UUID.randomUUID();
        try (UnrulyApi api = new UnrulyApi(offline(test)).rationed(20_000, Duration.ofSeconds(6))) {
            // The server does close what Java's client asks by default over plain http (an upgrade to HTTP/2).
            assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create(api.base() + "?results=1&seed=probe")).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
            assertThat(api.upgradeRequests).isNotEmpty();
            api.upgradeRequests.clear();
            Settings settings = through(test, api).with(IngestSettings.RATE_LIMIT_WINDOW, "6", "IngestIT");
            List<String> notes = new CopyOnWriteArrayList<>();
            SourceChoice choice = SourceChoice.resolve(settings);
            List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
            IngestProgress done;
            try {
                done = new IngestJob(choice.client(settings).onRetry(notes::add), RandomUserQuery.of(5_000, seed, 1), 25_000,
                        "batch-" + seed, choice.label()).resumable(true).run(writers, p -> { });
            } finally {
                IngestRunner.closeAll(writers);
            }
            assertThat(done.inserted()).isEqualTo(25_000);
            assertThat(api.upgradeRequests).isEmpty();
            assertThat(api.rateLimited).isNotEmpty();
            assertThat(notes).anySatisfy(note -> assertThat(note).contains("rate-limited", "waiting out the source's 6 s window, until"));
            assertThat(new TreeSet<>(api.pagesServed)).containsExactly(1, 2, 3, 4, 5);
            assertThat(api.pagesServed).hasSize(5);
        }
        assertThat(landedOnce("batch-" + seed)).isEqualTo(25_000);
    }

    @Test
    void anInterruptedIngestSaysWhatItLandedAndTheSameCommandAgainFetchesOnlyTheMissingPages(TestStack test) throws Exception {
        String seed = "resumed-" + UUID.randomUUID();
        try (UnrulyApi api = new UnrulyApi(offline(test)).fail(4, 400)) {
            Settings settings = through(test, api);
            SourceChoice choice = SourceChoice.resolve(settings);
            List<LandingTableWriter> writers = IngestRunner.openWriters(settings);
            try {
                IngestJob job = new IngestJob(choice.client(settings), RandomUserQuery.of(5_000, seed, 1), 25_000, "batch-" + seed,
                        choice.label()).resumable(true);
                IngestFailure failure = org.junit.jupiter.api.Assertions.assertThrows(IngestFailure.class, () -> job.run(writers, p -> { }));
                assertThat(failure.page()).isEqualTo(4);
                assertThat(failure.getCause()).isInstanceOf(RandomUserException.class).hasMessageContaining("HTTP 400");
                Set<Integer> landedFirst = ledgerPages("batch-" + seed);
                assertThat(landedFirst).contains(1, 2, 3).doesNotContain(4);
                assertThat(failure.progress().inserted()).isEqualTo(5_000L * landedFirst.size());
                assertThat(landedOnce("batch-" + seed)).isEqualTo(5_000L * landedFirst.size());

                api.pagesServed.clear();
                api.heal();
                IngestProgress resumed = job.run(writers, p -> { });
                Set<Integer> missing = new TreeSet<>(Set.of(1, 2, 3, 4, 5));
                missing.removeAll(landedFirst);
                assertThat(api.pagesServed).containsExactlyInAnyOrderElementsOf(missing);
                assertThat(resumed.skippedPages()).isEqualTo(landedFirst.size());
                assertThat(resumed.done()).isEqualTo(25_000);
                assertThat(resumed.inserted()).isEqualTo(5_000L * missing.size());
                assertThat(resumed.duplicates()).isZero();
            } finally {
                IngestRunner.closeAll(writers);
            }
        }
        assertThat(landedOnce("batch-" + seed)).isEqualTo(25_000);
    }

    @Test
    void badUsersAreQuarantinedWithTheirReasonsAndTheirPagesOtherUsersLand(TestStack test) throws Exception {
        String seed = "bad-users-" + UUID.randomUUID();
        String batch = "batch-" + seed;
        try (UnrulyApi api = new UnrulyApi(offline(test))
                // A NUL in a name: valid JSON, refused by jsonb.
                .alter(1, answer -> withName(answer, 3, "Ali\u0000ce"))
                // The id of the first user again, with other data: a conflict.
                .alter(2, answer -> {
                    ObjectNode twin = UnrulyApi.results(answer).get(0).deepCopy();
                    ((ObjectNode) twin.path("name")).put("first", "Someone Else");
                    UnrulyApi.results(answer).set(5, twin);
                    return answer;
                })
                // A street name of 1 MB: the change event would be over Kafka's limit.
                .alter(3, answer -> {
                    ((ObjectNode) UnrulyApi.results(answer).get(7).path("location").path("street")).put("name", "x".repeat(1_000_000));
                    return answer;
                })
                // Short, and honest about it; then empty.
                .alter(4, UnrulyApi.only(6))
                .alter(5, UnrulyApi.only(0))) {
            Settings settings = through(test, api);
            SourceChoice choice = SourceChoice.resolve(settings);
            IngestProgress done;
            try (LandingTableWriter writer = IngestRunner.openWriter(settings)) {
                done = new IngestJob(choice.client(settings), RandomUserQuery.of(10, seed, 1), 60, batch, choice.label())
                        .resumable(true).run(writer, p -> { });
            }
            assertThat(done.quarantined()).isEqualTo(3);
            assertThat(done.inserted()).isEqualTo(9 + 9 + 9 + 6 + 0 + 10);
            assertThat(done.shortPages()).isEqualTo(2);
            assertThat(done.missing()).isEqualTo(4 + 10);
            assertThat(done.summary()).contains("2 pages held fewer users than asked, 14 users short");
        }
        List<String> reasons = new ArrayList<>();
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select reason from ingest.users_quarantine where batch_id = ? order by id")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        }
        // Two fetchers: pages land in the order their answers come, so the reasons are checked in any order.
        assertThat(reasons).satisfiesExactlyInAnyOrder(
                reason -> assertThat(reason).isEqualTo("contains \\u0000 (the NUL character), which PostgreSQL's jsonb cannot store"),
                reason -> assertThat(reason).startsWith("conflict: login.uuid ").contains("different data"),
                reason -> assertThat(reason).startsWith("too large to carry: 1,00").contains("ingest.max.user.bytes"));
        assertThat(landedOnce(batch)).isEqualTo(43);
    }

    @Test
    void anAnswerOverTheSizeLimitIsRefusedWithWhatToDo(TestStack test) throws Exception {
        try (UnrulyApi api = new UnrulyApi(offline(test))) {
            Settings settings = through(test, api).with(IngestSettings.MAX_ANSWER_MB, "1", "IngestIT");
            SourceChoice choice = SourceChoice.resolve(settings);
            try (LandingTableWriter writer = IngestRunner.openWriter(settings)) {
                IngestJob job = new IngestJob(choice.client(settings), RandomUserQuery.of(2_000, "big-" + UUID.randomUUID(), 1), 2_000,
                        "big", choice.label());
                assertThatThrownBy(() -> job.run(writer, p -> { }))
                        .isInstanceOf(IngestFailure.class)
                        .hasMessageContaining("over the limit of 1.0 MiB")
                        .hasMessageContaining("Ask for fewer users per request, or raise the limit");
            }
            assertThat(api.pagesServed).hasSize(1);
        }
    }

    @Test
    void continuousIngestionReportsEveryBadPageAndGoesOn(TestStack test) throws Exception {
        String seed = "continuous-bad-" + UUID.randomUUID();
        try (UnrulyApi api = new UnrulyApi(offline(test))
                .alter(2, answer -> withName(answer, 0, "Nul\u0000"))
                .alter(3, UnrulyApi.only(0))
                .alter(4, UnrulyApi.only(4))
                .alter(5, answer -> {
                    UnrulyApi.results(answer).set(1, UnrulyApi.results(answer).get(0).deepCopy());
                    ((ObjectNode) UnrulyApi.results(answer).get(1).path("name")).put("first", "Other");
                    return answer;
                })
                .alter(6, answer -> {
                    answer.put("padding", "p".repeat(2 << 20));
                    return answer;
                })) {
            Settings settings = through(test, api).with(IngestSettings.MAX_ANSWER_MB, "1", "IngestIT");
            SourceChoice choice = SourceChoice.resolve(settings);
            List<String> problems = new CopyOnWriteArrayList<>();
            List<IngestProgress> progress = new CopyOnWriteArrayList<>();
            Thread ingest;
            try (LandingTableWriter writer = IngestRunner.openWriter(settings)) {
                ingest = new Thread(() -> {
                    try {
                        new ContinuousIngest(choice.client(settings), RandomUserQuery.of(1, seed, 1), 100, seed, choice.label())
                                .withRetryDelay(Duration.ofMillis(100)).run(writer, progress::add, problems::add);
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        problems.add("ENDED: " + e);
                    }
                }, "continuous-it");
                ingest.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!api.pagesServed.contains(9) && System.nanoTime() < deadline && ingest.isAlive()) {
                    Thread.sleep(100);
                }
                assertThat(ingest.isAlive()).as("still running; problems: %s", problems).isTrue();
                ingest.interrupt();
                ingest.join(10_000);
            }
            assertThat(api.pagesServed).contains(7, 8, 9);
            assertThat(problems).noneMatch(p -> p.startsWith("ENDED"));
            assertThat(problems).anyMatch(p -> p.equals("page 2: 1 records quarantined (ingest.users_quarantine has why)"))
                    .anyMatch(p -> p.equals("page 3 held 0 of the 10 users asked for"))
                    .anyMatch(p -> p.equals("page 4 held 4 of the 10 users asked for"))
                    .anyMatch(p -> p.equals("page 5: 1 records quarantined (ingest.users_quarantine has why)"))
                    .anyMatch(p -> p.startsWith("fetching page 6 failed, trying it again") && p.contains("over the limit of 1.0 MiB"))
                    .anyMatch(p -> p.startsWith("fetching page 6 failed " + 12 + " times; skipping it"));
            assertThat(progress.get(progress.size() - 1).inserted()).isGreaterThanOrEqualTo(10 + 9 + 0 + 4 + 9 + 30);
        }
    }

    private static ObjectNode withName(ObjectNode answer, int user, String first) {
        ((ObjectNode) UnrulyApi.results(answer).get(user).path("name")).put("first", first);
        return answer;
    }

    /** The stack's settings, with ingestion pointed at this API. */
    private static Settings through(TestStack test, UnrulyApi api) {
        return test.settings.with(IngestSettings.SOURCE, api.base().toString(), "IngestIT");
    }

    private static URI offline(TestStack test) {
        return SourceChoice.resolve(test.settings).url();
    }

    /** The pages of a batch that the page ledger holds. */
    private static Set<Integer> ledgerPages(String batch) throws Exception {
        Set<Integer> pages = new TreeSet<>();
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select substring(request from '(?:^|&)page=([0-9]+)')::int from ingest.landed_pages where batch_id = ?")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pages.add(rs.getInt(1));
                }
            }
        }
        return pages;
    }

    /** Users of the batch in the landing table, each counted once (the primary key makes twice impossible). */
    private static long landedOnce(String batch) throws Exception {
        try (Connection c = Clients.postgres(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from ingest.users_raw where batch_id = ?")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SourceChoice source(TestStack test) {
        return SourceChoice.resolve(test.settings);
    }

    private static IngestJob job(TestStack test, String seed, long count) {
        SourceChoice choice = source(test);
        return new IngestJob(choice.client(test.settings), RandomUserQuery.of(5_000, seed, 1), count, "batch-" + seed, choice.label());
    }
}
