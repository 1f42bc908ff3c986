package dev.userpipeline.source;

import java.util.UUID;

/**
 * One user as randomuser.me API 1.4 describes it. Only the id ({@code login.uuid}) is required: the
 * API leaves out whole sections when asked to ({@code inc}, {@code exc}), so every other part may be
 * {@code null}. Text is kept exactly as received, in whatever script it came.
 */
public record RandomUser(
        UUID id,
        String gender,
        Name name,
        Location location,
        String email,
        Login login,
        Dated dob,
        Dated registered,
        String phone,
        String cell,
        IdDocument idDocument,
        Picture picture,
        String nationality) {

    public record Name(String title, String first, String last) {
    }

    /** {@code postcode} is a number for some nationalities and a string for others; it is kept as text. */
    public record Location(Street street, String city, String state, String country, String postcode,
            Coordinates coordinates, Timezone timezone) {
    }

    public record Street(Integer number, String name) {
    }

    /** The API sends coordinates as strings; they are kept as sent. */
    public record Coordinates(String latitude, String longitude) {
    }

    public record Timezone(String offset, String description) {
    }

    public record Login(UUID uuid, String username) {
    }

    /** A date (ISO-8601 text, as sent) and the age in years the API computed from it. */
    public record Dated(String date, Integer age) {
    }

    /** A national id; {@code value} is null for nationalities that have none. */
    public record IdDocument(String name, String value) {
    }

    public record Picture(String large, String medium, String thumbnail) {
    }
}
