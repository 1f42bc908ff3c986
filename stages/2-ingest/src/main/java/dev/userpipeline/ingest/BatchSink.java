package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserPage;
import java.sql.SQLException;

/** Where fetched pages go: the landing table, or (to measure fetching alone) nowhere. */
public interface BatchSink {

    /** What landing one page did. */
    record BatchResult(int staged, int inserted, int quarantined) {
        public int duplicates() {
            return staged - inserted;
        }
    }

    BatchResult write(RandomUserPage page, String batchId, String source) throws SQLException;

    /** Counts what it is given and keeps nothing. */
    BatchSink DISCARD = (page, batchId, source) -> new BatchResult(page.users().size(), page.users().size(), page.rejected().size());
}
