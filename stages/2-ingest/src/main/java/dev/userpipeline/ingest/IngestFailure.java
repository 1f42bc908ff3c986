package dev.userpipeline.ingest;

/**
 * An ingest stopped by a page it could not fetch or land, with what it had landed until then: a rerun of the
 * same command (resumable) lands only the rest.
 */
public final class IngestFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient IngestProgress progress;
    private final int page;

    public IngestFailure(int page, IngestProgress progress, Throwable cause) {
        super("page " + page + ": " + cause.getMessage(), cause);
        this.page = page;
        this.progress = progress;
    }

    /** What had landed when it stopped. */
    public IngestProgress progress() {
        return progress;
    }

    /** The page that failed. */
    public int page() {
        return page;
    }
}
