package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserPage;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/** Where fetched pages go: the landing table, or (to measure fetching alone) nowhere. */
public interface BatchSink {

    /** What landing one page did. */
    record BatchResult(int staged, int inserted, int quarantined) {
        public int duplicates() {
            return staged - inserted;
        }
    }

    BatchResult write(RandomUserPage page, String batchId, String source) throws SQLException;

    /** Lands a page, recording its request in the page ledger when asked, so that a rerun can skip it. */
    default BatchResult write(RandomUserPage page, String batchId, String source, boolean recordPage) throws SQLException {
        return write(page, batchId, source);
    }

    /** Of these requests of a source, those an earlier run landed, with their users; none for a sink without a ledger. */
    default Map<String, Integer> landedPages(String source, Collection<String> requests) throws SQLException {
        return Map.of();
    }

    /** Counts what it is given and keeps nothing. */
    BatchSink DISCARD = (page, batchId, source) -> new BatchResult(page.users().size(), page.users().size(), page.rejected().size());
}
