package dev.userpipeline.delivery;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.userpipeline.stream.StreamContract;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Which of a set of users can be read in {@code created_users}: lookups by partition key, a hundred ids a query. */
public final class CassandraPresence {

    static final int IDS_PER_QUERY = 100;

    private final CqlSession session;
    private final String table;
    private PreparedStatement select;

    public CassandraPresence(CqlSession session, String keyspace) {
        this.session = session;
        this.table = keyspace + "." + StreamContract.CREATED_USERS;
    }

    public Set<UUID> present(Collection<UUID> ids) {
        PreparedStatement statement = statement();
        List<UUID> all = new ArrayList<>(ids);
        List<CompletableFuture<Set<UUID>>> lookups = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY));
            lookups.add(session.executeAsync(statement.bind(chunk)).thenCompose(rs -> collect(rs, new HashSet<>())).toCompletableFuture());
        }
        Set<UUID> found = new HashSet<>();
        lookups.forEach(lookup -> found.addAll(lookup.join()));
        return found;
    }

    private synchronized PreparedStatement statement() {
        if (select == null) {
            try {
                select = session.prepare("select id from " + table + " where id in ?");
            } catch (InvalidQueryException e) {
                throw new IllegalStateException(table + " cannot be read (" + e.getMessage()
                        + "); the stream job creates it when it starts", e);
            }
        }
        return select;
    }

    private static CompletionStage<Set<UUID>> collect(AsyncResultSet page, Set<UUID> found) {
        for (Row row : page.currentPage()) {
            found.add(row.getUuid(0));
        }
        return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, found))
                : CompletableFuture.completedFuture(found);
    }
}
