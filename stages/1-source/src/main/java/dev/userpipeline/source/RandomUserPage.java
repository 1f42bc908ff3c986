package dev.userpipeline.source;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * One answer of the API: the users it held, each with its JSON exactly as received, and the elements
 * that could not be users, with the reason. {@code asked} is how many users the request asked for: an
 * answer may hold fewer.
 */
public record RandomUserPage(URI uri, Instant fetchedAt, String seed, int page, int bytes,
        List<FetchedUser> users, List<RejectedUser> rejected, int asked) {

    /** A user and its JSON text as it came. */
    public record FetchedUser(RandomUser user, String json) {
    }

    /** An element of {@code results} that is not a user, its JSON text and why. */
    public record RejectedUser(String json, String reason) {
    }

    public RandomUserPage(URI uri, Instant fetchedAt, String seed, int page, int bytes, List<FetchedUser> users, List<RejectedUser> rejected) {
        this(uri, fetchedAt, seed, page, bytes, users, rejected, users.size() + rejected.size());
    }

    public int size() {
        return users.size() + rejected.size();
    }

    /** Users asked for that the answer did not hold (0 for a full page). */
    public int missing() {
        return Math.max(0, asked - size());
    }

    /** The request as the page ledger keeps it: the query string, the same for the same seed, page and size. */
    public String request() {
        return uri.getRawQuery();
    }

    public RandomUserPage withRejected(List<FetchedUser> kept, List<RejectedUser> allRejected) {
        return new RandomUserPage(uri, fetchedAt, seed, page, bytes, kept, allRejected, asked);
    }
}
