package dev.userpipeline.source;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * One answer of the API: the users it held, each with its JSON exactly as received, and the elements
 * that could not be users, with the reason.
 */
public record RandomUserPage(URI uri, Instant fetchedAt, String seed, int page, int bytes,
        List<FetchedUser> users, List<RejectedUser> rejected) {

    /** A user and its JSON text as it came. */
    public record FetchedUser(RandomUser user, String json) {
    }

    /** An element of {@code results} that is not a user, its JSON text and why. */
    public record RejectedUser(String json, String reason) {
    }

    public int size() {
        return users.size() + rejected.size();
    }
}
