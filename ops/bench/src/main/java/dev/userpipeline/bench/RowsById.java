package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rows of a table read back by id: a prepared {@code ... where id in ?} asked for 100 ids at a time, 64 requests in
 * flight, so that reading a bench's users costs the same on a table of millions of rows.
 */
final class RowsById {

    static final int IDS_PER_REQUEST = 100;
    static final int IN_FLIGHT = 64;

    private RowsById() {
    }

    /** Every row {@code select} (whose one bind marker is the list of ids) finds for {@code ids}, in no order. */
    static List<Row> read(CqlSession session, PreparedStatement select, List<UUID> ids) {
        List<Row> rows = Collections.synchronizedList(new ArrayList<>(ids.size()));
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_REQUEST) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQUEST));
            reads.add(session.executeAsync(select.bind(chunk)).thenCompose(rs -> collect(rs, rows)).toCompletableFuture());
            if (reads.size() >= IN_FLIGHT) {
                reads.forEach(CompletableFuture::join);
                reads.clear();
            }
        }
        reads.forEach(CompletableFuture::join);
        return rows;
    }

    private static CompletionStage<Void> collect(AsyncResultSet page, List<Row> into) {
        page.currentPage().forEach(into::add);
        return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, into)) : CompletableFuture.completedFuture(null);
    }
}
