package dev.userpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static SourceChoice source(TestStack test) {
        return SourceChoice.resolve(test.settings);
    }

    private static IngestJob job(TestStack test, String seed, long count) {
        SourceChoice choice = source(test);
        return new IngestJob(choice.client(test.settings), RandomUserQuery.of(5_000, seed, 1), count, "batch-" + seed, choice.label());
    }
}
