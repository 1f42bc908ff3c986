package dev.userpipeline.cli;

import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.ContinuousIngest;
import dev.userpipeline.ingest.IngestFailure;
import dev.userpipeline.ingest.IngestJob;
import dev.userpipeline.ingest.IngestProgress;
import dev.userpipeline.ingest.IngestRunner;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.ingest.LandingTable;
import dev.userpipeline.ingest.LandingTableWriter;
import dev.userpipeline.ingest.SourceChoice;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserException;
import dev.userpipeline.source.RandomUserQuery;
import dev.userpipeline.stack.StackException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline ingest}: users from the API into the landing table, a fixed number or continuously. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {
            "Fetches users from the API and lands them in PostgreSQL's " + LandingTable.NAME + ".",
            "",
            "Pages of one seed are fetched ahead while earlier ones land, one transaction per page; the same "
                    + "user twice is one row, so running the same command again lands nothing new. Elements "
                    + "that are not users, or that PostgreSQL or Kafka could not carry, go to ingest.users_quarantine "
                    + "with the reason. Each landed page is recorded: after a failure or Ctrl-C, the same command "
                    + "fetches only the pages not landed yet. The last line is the summary; --json prints it as one "
                    + "JSON object.",
            "",
            "An API that rations users (randomuser.me: about 20,000 per 5 minutes) is waited out when it answers 429 "
                    + "(--ingest-rate-limit-window), or kept under with --ingest-max-rate."
        })
final class IngestCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Users to ingest (required unless --continuous).")
    Long count;

    @Option(names = "--seed", paramLabel = "S", description = "The API seed: the same seed gives the same users (default: a new one, printed).")
    String seed;

    @Option(names = "--page", paramLabel = "P", defaultValue = "1", description = "First page to fetch (default ${DEFAULT-VALUE}).")
    int firstPage;

    @Option(names = "--nat", paramLabel = "NAT", split = ",", description = "Nationalities, e.g. --nat IR,UA,RS (default all).")
    List<String> nationalities = new ArrayList<>();

    @Option(names = "--batch-id", paramLabel = "ID", description = "Batch the landed rows belong to (default seed-<seed>).")
    String batchId;

    @Option(names = "--continuous", description = "Ingest until Ctrl-C, at --rate users per second.")
    boolean continuous;

    @Option(names = "--json", description = "Print the summary as one JSON line (for schedulers).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!continuous && (count == null || count < 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Give --count N (N >= 1), or --continuous.");
        }
        Settings settings = options.settings();
        String usedSeed = seed != null ? seed : Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        String batch = batchId != null ? batchId : "seed-" + usedSeed;
        SourceChoice choice = SourceChoice.resolve(settings);
        RandomUserClient client = choice.client(settings).onRetry(message -> err.println("retry: " + message));
        err.println("Source: " + choice.describe());
        err.println("Seed: " + usedSeed + "   batch: " + batch);
        RandomUserQuery first;
        try {
            int size = continuous ? 1 : (int) Math.min(settings.get(IngestSettings.BATCH_SIZE), count);
            first = RandomUserQuery.of(size, usedSeed, firstPage).withNationalities(nationalities);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<LandingTableWriter> writers = openWriters(settings, continuous ? 1 : settings.get(IngestSettings.WRITERS));
        try {
            if (continuous) {
                int rate = settings.get(IngestSettings.RATE);
                if (rate <= 0) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate must be at least 1 with --continuous.");
                }
                Thread main = Thread.currentThread();
                Runtime.getRuntime().addShutdownHook(new Thread(main::interrupt));
                ProgressBar bar = new ProgressBar(err, System.console() != null, -1);
                try {
                    new ContinuousIngest(client, first, rate, batch, choice.label()).run(writers.get(0), bar::update,
                            problem -> err.println(problem));
                } catch (InterruptedException stopped) {
                    bar.finish();
                }
                return 0;
            }
            ProgressBar bar = new ProgressBar(err, System.console() != null, count);
            IngestProgress done;
            try {
                done = new IngestJob(client, first, count, batch, choice.label())
                        .resumable(true)
                        .maxRate(settings.get(IngestSettings.MAX_RATE))
                        .run(writers, bar::update);
            } catch (IngestFailure failure) {
                bar.finish();
                IngestProgress landed = failure.progress();
                out.println(json ? landed.json(batch, choice.label()) : landed.summary());
                out.flush();
                Throwable cause = failure.getCause();
                String what = cause instanceof RandomUserException ? "fetching page " + failure.page() + " failed: " + cause.getMessage()
                        + (choice.label().equals("offline") ? ". Is the offline source running? `./pipeline up` starts it" : "")
                        : cause instanceof java.sql.SQLException ? "landing page " + failure.page() + " failed: " + cause.getMessage()
                                + ". Is PostgreSQL up? `./pipeline status` shows it"
                        : "page " + failure.page() + " failed: " + cause;
                throw new StackException("Ingest stopped: " + what + ". Landed until then: " + landed.summary()
                        + ". The same command again fetches only the pages not landed.", failure);
            }
            bar.finish();
            if (done.shortPages() > 0) {
                err.println(String.format(Locale.ROOT, "warning: %d pages held fewer users than asked: %,d of the %,d users asked for "
                        + "did not come", done.shortPages(), done.missing(), count));
            }
            if (done.quarantined() > 0) {
                err.println(String.format(Locale.ROOT, "warning: %,d records quarantined; `select reason, count(*) from %s where "
                        + "batch_id = '%s' group by 1` says why", done.quarantined(), LandingTable.QUARANTINE, batch.replace("'", "''")));
            }
            out.println(json ? done.json(batch, choice.label()) : done.summary());
            return 0;
        } finally {
            IngestRunner.closeAll(writers);
        }
    }

    private static List<LandingTableWriter> openWriters(Settings settings, int count) {
        try {
            return IngestRunner.openWriters(settings, count);
        } catch (Exception e) {
            throw new StackException("Cannot open the landing table: " + e.getMessage()
                    + ". Is PostgreSQL up? `./pipeline up --detach` starts it; `./pipeline status` shows it.", e);
        }
    }

    /** A one-line progress bar redrawn in place on a terminal; a line every ten batches otherwise. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean terminal;
        private final long target;
        private IngestProgress last;

        ProgressBar(PrintWriter err, boolean terminal, long target) {
            this.err = err;
            this.terminal = terminal;
            this.target = target;
        }

        void update(IngestProgress progress) {
            last = progress;
            String line = line(progress);
            if (terminal) {
                err.print("\r\u001b[K" + line);
                err.flush();
            } else if (progress.batches() % 10 == 0) {
                err.println(line);
                err.flush();
            }
        }

        String line(IngestProgress p) {
            if (target <= 0) {
                return String.format(Locale.ROOT, "%,d users (%,d new, %,d duplicates, %,d quarantined) %.0f users/s",
                        p.fetched(), p.inserted(), p.duplicates(), p.quarantined(), p.usersPerSecond());
            }
            int width = 30;
            int filled = (int) Math.min(width, width * p.done() / target);
            return String.format(Locale.ROOT, "[%s%s] %,d/%,d  %,d new  %,d dup  %,d quarantined  %.0f users/s%s",
                    "#".repeat(filled), ".".repeat(width - filled), p.done(), target, p.inserted(), p.duplicates(),
                    p.quarantined(), p.usersPerSecond(), p.skippedPages() > 0 ? String.format(Locale.ROOT,
                            "  (%,d landed before)", p.skippedUsers()) : "");
        }

        void finish() {
            if (terminal && last != null) {
                err.println();
            }
            err.flush();
        }
    }
}
