package dev.userpipeline.ingest;

/**
 * The boundary ingestion owns: the landing table every user is written to, and the quarantine beside it.
 * Change data capture reads this table; delivery and the console ask it what landed.
 */
public final class LandingTable {

    public static final String SCHEMA = "ingest";
    public static final String NAME = SCHEMA + ".users_raw";
    public static final String QUARANTINE = SCHEMA + ".users_quarantine";

    private LandingTable() {
    }
}
