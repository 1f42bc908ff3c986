package dev.userpipeline.ingest;

/**
 * The boundary ingestion owns: the landing table every user is written to, and the quarantine beside it.
 * Change data capture reads this table; delivery and the console ask it what landed.
 */
public final class LandingTable {

    public static final String SCHEMA = "ingest";
    public static final String NAME = SCHEMA + ".users_raw";
    public static final String QUARANTINE = SCHEMA + ".users_quarantine";
    /** The requests of fixed-count ingests that landed, so that a rerun fetches only the others. */
    public static final String LANDED_PAGES = SCHEMA + ".landed_pages";

    private LandingTable() {
    }
}
