package dev.userpipeline.offline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes randomuser.me-shaped users. A user is a pure function of (seed, page, position, filters):
 * the same request always gives the same users, as the real API promises, and no state is kept.
 */
final class OfflineUsers {

    static final String VERSION = "1.4";
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Ages are computed against a fixed day, so that an answer does not change from one day to the next. */
    private static final LocalDate TODAY = LocalDate.of(2026, 1, 1);
    private static final String[] PASSWORDS = {"sunshine", "dragon", "monkey", "shadow", "master", "qwerty", "letmein",
        "football", "princess", "starwars", "pepper", "cookie", "summer", "hunter", "buster", "tigger"};
    private static final String[] ADJECTIVES = {"happy", "brown", "silver", "lazy", "crazy", "tiny", "big", "heavy",
        "golden", "purple", "orange", "red", "blue", "white", "black", "green"};
    private static final String[] ANIMALS = {"panda", "tiger", "koala", "swan", "bird", "fish", "lion", "rabbit",
        "elephant", "peacock", "gorilla", "butterfly", "wolf", "frog", "goose", "leopard"};
    private static final String[][] TIMEZONES = {{"-12:00", "Eniwetok, Kwajalein"},
        {"-5:00", "Eastern Time (US & Canada), Bogota, Lima"}, {"0:00", "Western Europe Time, London, Lisbon, Casablanca"},
        {"+1:00", "Brussels, Copenhagen, Madrid, Paris"}, {"+2:00", "Kaliningrad, South Africa"}, {"+3:30", "Tehran"},
        {"+5:30", "Bombay, Calcutta, Madras, New Delhi"}, {"+9:30", "Adelaide, Darwin"},
        {"+10:00", "Eastern Australia, Guam, Vladivostok"}, {"+12:00", "Auckland, Wellington, Fiji"}};
    private static final long DOB_FROM = Instant.parse("1945-01-01T00:00:00Z").getEpochSecond();
    private static final long REGISTERED_FROM = Instant.parse("2002-01-01T00:00:00Z").getEpochSecond();

    private final NamePools pools;
    private final JsonFactory json = new JsonFactory();

    OfflineUsers(NamePools pools) {
        this.pools = pools;
    }

    /** What a request asks for; empty lists mean "all". */
    record Request(int results, String seed, int page, List<Nationality> nationalities, String gender,
            Set<String> fields, boolean noinfo) {
    }

    /** The whole answer body, as the API would send it. */
    byte[] answer(Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(request.results() * 1_200 + 256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            long base = mix(fnv64(request.seed()) + request.page() * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < request.results(); i++) {
                writeUser(g, new SplittableRandom(mix(base + i * 0xBF58476D1CE4E5B9L)), request);
            }
            g.writeEndArray();
            if (!request.noinfo()) {
                g.writeObjectFieldStart("info");
                g.writeStringField("seed", request.seed());
                g.writeNumberField("results", request.results());
                g.writeNumberField("page", request.page());
                g.writeStringField("version", VERSION);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeUser(JsonGenerator g, SplittableRandom r, Request request) throws IOException {
        List<Nationality> nats = request.nationalities().isEmpty() ? Nationality.ALL : request.nationalities();
        Nationality nat = nats.get(r.nextInt(nats.size()));
        NamePools.Pool pool = pools.of(nat);
        boolean male = request.gender() != null ? request.gender().equals("male") : r.nextBoolean();
        String first = pick(r, male ? pool.maleFirst() : pool.femaleFirst());
        String last = pick(r, pool.last());
        UUID uuid = new UUID(r.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x0000000000004000L, r.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        long dobEpoch = DOB_FROM + r.nextLong(60L * 365 * 86_400);
        long registeredEpoch = REGISTERED_FROM + r.nextLong(22L * 365 * 86_400);
        Set<String> fields = request.fields();

        g.writeStartObject();
        if (fields.contains("gender")) {
            g.writeStringField("gender", male ? "male" : "female");
        }
        if (fields.contains("name")) {
            g.writeObjectFieldStart("name");
            g.writeStringField("title", male ? "Mr" : r.nextBoolean() ? "Ms" : "Mrs");
            g.writeStringField("first", first);
            g.writeStringField("last", last);
            g.writeEndObject();
        }
        if (fields.contains("location")) {
            g.writeObjectFieldStart("location");
            g.writeObjectFieldStart("street");
            g.writeNumberField("number", 1 + r.nextInt(9_999));
            g.writeStringField("name", pick(r, pool.streets()));
            g.writeEndObject();
            g.writeStringField("city", pick(r, pool.cities()));
            g.writeStringField("state", pick(r, pool.states()));
            g.writeStringField("country", nat.country);
            writePostcode(g, r, nat.postcode);
            g.writeObjectFieldStart("coordinates");
            g.writeStringField("latitude", fourDecimals(r.nextInt(-900_000, 900_001)));
            g.writeStringField("longitude", fourDecimals(r.nextInt(-1_800_000, 1_800_001)));
            g.writeEndObject();
            String[] tz = TIMEZONES[r.nextInt(TIMEZONES.length)];
            g.writeObjectFieldStart("timezone");
            g.writeStringField("offset", tz[0]);
            g.writeStringField("description", tz[1]);
            g.writeEndObject();
            g.writeEndObject();
        }
        String ascii = asciiHandle(first) + "." + asciiHandle(last);
        if (fields.contains("email")) {
            g.writeStringField("email", ascii + "@example.com");
        }
        if (fields.contains("login")) {
            String password = PASSWORDS[r.nextInt(PASSWORDS.length)];
            String salt = randomAlnum(r, 8);
            g.writeObjectFieldStart("login");
            g.writeStringField("uuid", uuid.toString());
            g.writeStringField("username", ADJECTIVES[r.nextInt(ADJECTIVES.length)] + ANIMALS[r.nextInt(ANIMALS.length)] + r.nextInt(1_000));
            g.writeStringField("password", password);
            g.writeStringField("salt", salt);
            g.writeStringField("md5", digest("MD5", password + salt));
            g.writeStringField("sha1", digest("SHA-1", password + salt));
            g.writeStringField("sha256", digest("SHA-256", password + salt));
            g.writeEndObject();
        }
        if (fields.contains("dob")) {
            writeDated(g, "dob", dobEpoch, r);
        }
        if (fields.contains("registered")) {
            writeDated(g, "registered", registeredEpoch, r);
        }
        if (fields.contains("phone")) {
            g.writeStringField("phone", phone(r));
        }
        if (fields.contains("cell")) {
            g.writeStringField("cell", phone(r));
        }
        if (fields.contains("id")) {
            g.writeObjectFieldStart("id");
            g.writeStringField("name", nat.idName);
            if (nat.idName.isEmpty()) {
                g.writeNullField("value");
            } else {
                g.writeStringField("value", digits(r, 3) + "-" + digits(r, 2) + "-" + digits(r, 4));
            }
            g.writeEndObject();
        }
        if (fields.contains("picture")) {
            String folder = male ? "men" : "women";
            int n = r.nextInt(100);
            g.writeObjectFieldStart("picture");
            g.writeStringField("large", "https://randomuser.me/api/portraits/" + folder + "/" + n + ".jpg");
            g.writeStringField("medium", "https://randomuser.me/api/portraits/med/" + folder + "/" + n + ".jpg");
            g.writeStringField("thumbnail", "https://randomuser.me/api/portraits/thumb/" + folder + "/" + n + ".jpg");
            g.writeEndObject();
        }
        if (fields.contains("nat")) {
            g.writeStringField("nat", nat.name());
        }
        g.writeEndObject();
    }

    private static void writePostcode(JsonGenerator g, SplittableRandom r, Nationality.PostcodeStyle style) throws IOException {
        switch (style) {
            case NUMBER4 -> g.writeNumberField("postcode", 1_000 + r.nextInt(9_000));
            case NUMBER5 -> g.writeNumberField("postcode", 10_000 + r.nextInt(90_000));
            case NUMBER6 -> g.writeNumberField("postcode", 100_000 + r.nextInt(900_000));
            case CANADIAN -> g.writeStringField("postcode", "" + letter(r) + r.nextInt(10) + letter(r) + " " + r.nextInt(10) + letter(r) + r.nextInt(10));
            case BRITISH -> g.writeStringField("postcode", "" + letter(r) + letter(r) + (1 + r.nextInt(9)) + " " + r.nextInt(10) + letter(r) + letter(r));
            case IRISH -> g.writeStringField("postcode", "" + letter(r) + digits(r, 2) + " " + letter(r) + digits(r, 3));
            case DUTCH -> g.writeStringField("postcode", (1_000 + r.nextInt(9_000)) + " " + letter(r) + letter(r));
            default -> throw new IllegalStateException(style.name());
        }
    }

    private static void writeDated(JsonGenerator g, String field, long epochSecond, SplittableRandom r) throws IOException {
        Instant at = Instant.ofEpochSecond(epochSecond, r.nextInt(1_000) * 1_000_000L);
        g.writeObjectFieldStart(field);
        g.writeStringField("date", ISO_MILLIS.format(at));
        g.writeNumberField("age", Period.between(at.atZone(ZoneOffset.UTC).toLocalDate(), TODAY).getYears());
        g.writeEndObject();
    }

    /** A coordinate in ten-thousandths as the API writes it, e.g. -69.8246. */
    static String fourDecimals(int tenThousandths) {
        int abs = Math.abs(tenThousandths);
        String fraction = Integer.toString(10_000 + abs % 10_000).substring(1);
        return (tenThousandths < 0 ? "-" : "") + abs / 10_000 + "." + fraction;
    }

    private static String phone(SplittableRandom r) {
        return "(" + digits(r, 3) + ") " + digits(r, 3) + "-" + digits(r, 4);
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static char letter(SplittableRandom r) {
        return (char) ('A' + r.nextInt(26));
    }

    private static String digits(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    private static String randomAlnum(SplittableRandom r, int n) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(chars.charAt(r.nextInt(chars.length())));
        }
        return s.toString();
    }

    /** E-mail handles are ASCII even for non-Latin names, as in the real API's example.com addresses. */
    static String asciiHandle(String name) {
        String folded = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (!folded.isEmpty()) {
            return folded;
        }
        return "user" + Integer.toUnsignedString(name.hashCode(), 36);
    }

    private static String digest(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long fnv64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64's finaliser: spreads nearby seeds over the whole 64-bit range. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
