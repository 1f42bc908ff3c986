package dev.userpipeline.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One request to the API: {@code results} users of page {@code page} for {@code seed}. The same seed
 * and page always give the same users, which is what makes a retried fetch harmless.
 */
public record RandomUserQuery(int results, String seed, int page, List<String> nationalities, String gender,
        List<String> include, List<String> exclude) {

    /** The API's own ceiling on users per request. */
    public static final int MAX_RESULTS = 5_000;
    /** Nationalities of API 1.4. */
    public static final Set<String> NATIONALITIES = Set.of("AU", "BR", "CA", "CH", "DE", "DK", "ES", "FI", "FR", "GB",
            "IE", "IN", "IR", "MX", "NL", "NO", "NZ", "RS", "TR", "UA", "US");
    /** Sections a user can be asked with or without. */
    public static final Set<String> FIELDS = Set.of("gender", "name", "location", "email", "login", "registered",
            "dob", "phone", "cell", "id", "picture", "nat");

    public RandomUserQuery {
        if (results < 1 || results > MAX_RESULTS) {
            throw new IllegalArgumentException("results must be 1 to " + MAX_RESULTS + ", not " + results
                    + " (the API answers larger requests with one user)");
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more, not " + page);
        }
        nationalities = List.copyOf(nationalities);
        for (String nat : nationalities) {
            if (!NATIONALITIES.contains(nat)) {
                throw new IllegalArgumentException("unknown nationality '" + nat + "'; the API knows " + new java.util.TreeSet<>(NATIONALITIES));
            }
        }
        if (gender != null && !gender.equals("male") && !gender.equals("female")) {
            throw new IllegalArgumentException("gender must be male or female, not '" + gender + "'");
        }
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        for (String field : concat(include, exclude)) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "'; the API knows " + new java.util.TreeSet<>(FIELDS));
            }
        }
        if (exclude.contains("login") || (!include.isEmpty() && !include.contains("login"))) {
            throw new IllegalArgumentException("login cannot be left out: login.uuid identifies each user");
        }
    }

    public static RandomUserQuery of(int results, String seed, int page) {
        return new RandomUserQuery(results, seed, page, List.of(), null, List.of(), List.of());
    }

    public RandomUserQuery withNationalities(List<String> nats) {
        return new RandomUserQuery(results, seed, page, nats.stream().map(n -> n.trim().toUpperCase(Locale.ROOT)).toList(),
                gender, include, exclude);
    }

    public RandomUserQuery withPage(int newPage) {
        return new RandomUserQuery(results, seed, newPage, nationalities, gender, include, exclude);
    }

    public RandomUserQuery withResults(int newResults) {
        return new RandomUserQuery(newResults, seed, page, nationalities, gender, include, exclude);
    }

    /** The request URI against an API base such as {@code https://randomuser.me/api/}. */
    public URI toUri(URI base) {
        List<String> params = new ArrayList<>();
        params.add("results=" + results);
        if (seed != null) {
            params.add("seed=" + encode(seed));
        }
        params.add("page=" + page);
        if (!nationalities.isEmpty()) {
            params.add("nat=" + encode(String.join(",", nationalities)));
        }
        if (gender != null) {
            params.add("gender=" + gender);
        }
        if (!include.isEmpty()) {
            params.add("inc=" + encode(String.join(",", include)));
        }
        if (!exclude.isEmpty()) {
            params.add("exc=" + encode(String.join(",", exclude)));
        }
        String b = base.toString();
        return URI.create(b + (b.contains("?") ? "&" : "?") + String.join("&", params));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
