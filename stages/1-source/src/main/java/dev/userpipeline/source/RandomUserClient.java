package dev.userpipeline.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client of the randomuser.me API 1.4, or of anything that speaks it (the offline source).
 *
 * <p>Every answer is checked against the contract before it is believed: a 2xx status, a JSON content
 * type, a JSON object with a {@code results} array and no {@code error}. A failed try is retried with
 * backoff when another may succeed; the last failure is thrown with what came back and from where.
 * Elements of {@code results} that are not users are returned apart, with the reason, and never take
 * the good users of their page down with them.
 */
public final class RandomUserClient {

    /** The public API. */
    public static final URI RANDOMUSER_ME = URI.create("https://randomuser.me/api/");

    private static final int SHOWN_BYTES = 200;
    /** 5,000 users of the real API are 6-7 MB; a larger answer is not a page of users. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 64L << 20;

    private final URI base;
    private final HttpClient http;
    private final Duration readTimeout;
    private final RetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();
    private final long maxAnswerBytes;
    private Consumer<String> retryListener = message -> { };

    public RandomUserClient(URI base, Duration connectTimeout, Duration readTimeout, RetryPolicy retry) {
        this(base, connectTimeout, readTimeout, retry, DEFAULT_MAX_ANSWER_BYTES);
    }

    public RandomUserClient(URI base, Duration connectTimeout, Duration readTimeout, RetryPolicy retry, long maxAnswerBytes) {
        this.base = base;
        this.readTimeout = readTimeout;
        this.retry = retry;
        this.maxAnswerBytes = maxAnswerBytes;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if ("http".equalsIgnoreCase(base.getScheme())) {
            // Over plain http the default asks to upgrade to HTTP/2 (Upgrade: h2c); randomuser.me's server closes such a
            // connection after a second without a byte. HTTP/2 stays on for https, where it is negotiated in TLS.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        this.http = builder.build();
    }

    /** Called with a one-line explanation before each retry, e.g. to show it in progress output. */
    public RandomUserClient onRetry(Consumer<String> listener) {
        this.retryListener = listener;
        return this;
    }

    public URI base() {
        return base;
    }

    /** True when the API answers one small request correctly within the timeouts, tried once. */
    public boolean answers() {
        try {
            attempt(RandomUserQuery.of(1, "probe", 1));
            return true;
        } catch (RandomUserException e) {
            return false;
        }
    }

    /**
     * Fetches one page, retrying as the policy allows.
     *
     * @throws RandomUserException after the last try, or at once when a retry cannot help
     */
    public RandomUserPage fetch(RandomUserQuery query) {
        int rateLimitWaits = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(query);
            } catch (RandomUserException e) {
                if (e.rateLimited() && rateLimitWaits < retry.attempts() && !retry.rateLimitWindow().isZero()) {
                    // Waiting out a window is not a failed try: the next one is expected to succeed.
                    rateLimitWaits++;
                    attempt--;
                    Duration wait = retry.rateLimitWindow();
                    retryListener.accept("rate-limited: " + e.getMessage() + "; no Retry-After, so waiting out the source's "
                            + wait.toSeconds() + " s window, until " + Instant.now().plus(wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            + " (wait " + rateLimitWaits + " of at most " + retry.attempts() + ")");
                    sleep(wait);
                    continue;
                }
                if (!e.retryable() || attempt >= retry.attempts()) {
                    String tries = attempt == 1 ? "" : " (after " + attempt + " tries)";
                    throw new RandomUserException(e.getMessage() + tries, false, -1, e);
                }
                rateLimitWaits = 0;
                Duration wait = retry.backoff(attempt, e.retryAfterMillis());
                retryListener.accept("try " + attempt + " of " + retry.attempts() + " failed: " + e.getMessage()
                        + "; retrying in " + wait.toMillis() + " ms");
                sleep(wait);
            }
        }
    }

    private RandomUserPage attempt(RandomUserQuery query) {
        URI uri = query.toUri(base);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("User-Agent", "user-pipeline/1 (+randomuser client)")
                .timeout(readTimeout)
                .GET()
                .build();
        HttpResponse<byte[]> response;
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, new BoundedBody(maxAnswerBytes));
        try {
            // The request timeout covers the wait for headers; this one also covers a body that stalls.
            response = pending.get(readTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new RandomUserException("no complete answer within " + readTimeout.toMillis() + " ms from GET " + uri, true, -1, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new RandomUserException("interrupted while fetching " + uri, false, -1, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.io.IOException && cause.getCause() instanceof BoundedBody.TooLarge tooLarge) {
                cause = tooLarge;
            }
            if (cause instanceof BoundedBody.TooLarge tooLarge) {
                // The same request gives the same answer: another try cannot help.
                throw new RandomUserException("answer rejected: " + tooLarge.getMessage() + " from GET " + uri
                        + ". Ask for fewer users per request, or raise the limit on the answer's size", false, -1, tooLarge);
            }
            String what = cause instanceof HttpTimeoutException ? "no answer within " + readTimeout.toMillis() + " ms"
                    : cause instanceof ConnectException ? "cannot connect (" + describe(cause) + ")"
                    : describe(cause);
            throw new RandomUserException(what + " from GET " + uri, true, -1, cause);
        }
        Instant fetchedAt = Instant.now();
        byte[] body = response.body();
        int status = response.statusCode();
        String contentType = Printable.of(response.headers().firstValue("Content-Type").orElse("(none)"));
        if (status == 429 || status >= 500) {
            long retryAfter = status == 429 ? retryAfterMillis(response) : -1;
            throw new RandomUserException(rejection(apiError(body).orElse("HTTP " + status), uri, status, contentType, body),
                    true, retryAfter, status == 429 && retryAfter < 0, null);
        }
        if (status < 200 || status >= 300) {
            throw new RandomUserException(rejection(apiError(body).orElse("HTTP " + status), uri, status, contentType, body), false);
        }
        if (!contentType.toLowerCase(Locale.ROOT).contains("json")) {
            String what = looksLikeHtml(body) ? "an HTML page, not the API's JSON" : "content type " + contentType + ", not JSON";
            throw new RandomUserException(rejection(what, uri, status, contentType, body), true);
        }
        List<RandomUserPage.FetchedUser> users = new ArrayList<>();
        List<RandomUserPage.RejectedUser> rejected = new ArrayList<>();
        int promised = readResults(body, uri, status, contentType, users, rejected);
        int held = users.size() + rejected.size();
        if (promised > held) {
            throw new RandomUserException(rejection("the answer promises " + promised + " users (info.results) but holds " + held,
                    uri, status, contentType, body), true);
        }
        return new RandomUserPage(uri, fetchedAt, query.seed(), query.page(), body.length, users, rejected, query.results());
    }

    /**
     * Reads the answer as a stream: each element of {@code results} is parsed on its own and keeps its
     * exact bytes as received, so the landed JSON is the API's text, not a re-serialisation of it. A second user
     * with the id of an earlier one is kept when it is the same user (landing counts it as a duplicate) and set
     * apart as a conflict when it is not. Returns the number of users the answer's {@code info.results} promises,
     * or -1 when it says none.
     */
    private int readResults(byte[] body, URI uri, int status, String contentType,
            List<RandomUserPage.FetchedUser> users, List<RandomUserPage.RejectedUser> rejected) {
        boolean sawResults = false;
        int promised = -1;
        java.util.Map<java.util.UUID, JsonNode> seen = new java.util.HashMap<>();
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RandomUserException(rejection("JSON that is not an object", uri, status, contentType, body), true);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("error")) {
                    JsonNode error = parser.readValueAsTree();
                    String text = Printable.of(error.isTextual() ? error.textValue() : error.toString());
                    throw new RandomUserException(rejection("the API's error \"" + text + "\"", uri, status, contentType, body), true);
                }
                if (field.equals("info") && value == JsonToken.START_OBJECT) {
                    JsonNode results = ((JsonNode) parser.readValueAsTree()).path("results");
                    promised = results.canConvertToInt() ? results.intValue() : -1;
                    continue;
                }
                if (!field.equals("results")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new RandomUserException(rejection("results is not an array", uri, status, contentType, body), true);
                }
                sawResults = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    JsonNode element = parser.readValueAsTree();
                    int end = (int) parser.currentLocation().getByteOffset();
                    String text = new String(body, start, end - start, StandardCharsets.UTF_8);
                    try {
                        RandomUser user = UserParser.parse(element);
                        JsonNode earlier = seen.putIfAbsent(user.id(), element);
                        if (earlier != null && !earlier.equals(element)) {
                            seen.put(user.id(), earlier);
                            rejected.add(new RandomUserPage.RejectedUser(text, "conflict: login.uuid " + user.id()
                                    + " is also an earlier user of the same answer, with different data (that one is landed)"));
                        } else {
                            users.add(new RandomUserPage.FetchedUser(user, text));
                        }
                    } catch (MalformedUserException e) {
                        rejected.add(new RandomUserPage.RejectedUser(text, e.getMessage()));
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new RandomUserException(rejection("JSON that does not end where the object ends", uri, status, contentType, body), true);
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
            throw new RandomUserException(rejection("truncated or malformed JSON" + where, uri, status, contentType, body), true, -1, e);
        } catch (IOException e) {
            throw new RandomUserException(rejection("unreadable JSON: " + e.getMessage(), uri, status, contentType, body), true, -1, e);
        }
        if (!sawResults) {
            throw new RandomUserException(rejection("no results array", uri, status, contentType, body), true);
        }
        return promised;
    }

    private java.util.Optional<String> apiError(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.has("error") ? java.util.Optional.of("the API's error \"" + Printable.of(node.path("error").asText()) + "\"")
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Retry-After in seconds or as an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMillis(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                return Math.max(0, Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).toMillis());
            } catch (RuntimeException notADate) {
                return -1;
            }
        }
    }

    static String rejection(String what, URI uri, int status, String contentType, byte[] body) {
        String start = Printable.of(new String(body, 0, Math.min(body.length, SHOWN_BYTES), StandardCharsets.UTF_8)
                .replace("\\", "\\\\"));
        return "answer rejected: " + what + ". GET " + uri + " gave HTTP " + status + ", " + contentType + ", "
                + body.length + " bytes, starting \"" + start + "\"" + (body.length > SHOWN_BYTES ? "..." : "");
    }

    private static boolean looksLikeHtml(byte[] body) {
        String start = new String(body, 0, Math.min(body.length, 100), StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<");
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + Printable.of(message));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RandomUserException("interrupted while waiting to retry", false);
        }
    }
}
