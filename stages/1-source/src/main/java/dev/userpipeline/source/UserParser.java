package dev.userpipeline.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * Reads one element of the API's {@code results} array into a {@link RandomUser}, surviving the
 * quirks of the real API (numeric or textual postcodes, null id values, non-Latin scripts) and
 * refusing what cannot be a user: no object, no {@code login.uuid}, or one that is not a UUID.
 */
public final class UserParser {

    private UserParser() {
    }

    /** @throws MalformedUserException with the reason, when the element cannot be a user */
    public static RandomUser parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MalformedUserException("not a JSON object but " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        JsonNode login = node.path("login");
        JsonNode uuidNode = login.path("uuid");
        if (!uuidNode.isTextual()) {
            throw new MalformedUserException(uuidNode.isMissingNode() ? "no login.uuid" : "login.uuid is not text but " + uuidNode);
        }
        UUID id;
        try {
            id = UUID.fromString(uuidNode.textValue());
            if (!id.toString().equalsIgnoreCase(uuidNode.textValue())) {
                throw new IllegalArgumentException("not canonical");
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedUserException("login.uuid '" + uuidNode.textValue() + "' is not a UUID");
        }
        JsonNode location = node.path("location");
        return new RandomUser(
                id,
                text(node, "gender"),
                node.has("name") ? new RandomUser.Name(text(node.path("name"), "title"), text(node.path("name"), "first"),
                        text(node.path("name"), "last")) : null,
                node.has("location") ? new RandomUser.Location(
                        street(location.path("street")),
                        text(location, "city"),
                        text(location, "state"),
                        text(location, "country"),
                        text(location, "postcode"),
                        location.has("coordinates") ? new RandomUser.Coordinates(text(location.path("coordinates"), "latitude"),
                                text(location.path("coordinates"), "longitude")) : null,
                        location.has("timezone") ? new RandomUser.Timezone(text(location.path("timezone"), "offset"),
                                text(location.path("timezone"), "description")) : null) : null,
                text(node, "email"),
                new RandomUser.Login(id, text(login, "username")),
                dated(node.path("dob")),
                dated(node.path("registered")),
                text(node, "phone"),
                text(node, "cell"),
                node.has("id") ? new RandomUser.IdDocument(text(node.path("id"), "name"), text(node.path("id"), "value")) : null,
                node.has("picture") ? new RandomUser.Picture(text(node.path("picture"), "large"),
                        text(node.path("picture"), "medium"), text(node.path("picture"), "thumbnail")) : null,
                text(node, "nat"));
    }

    /** A field as text: strings as they are, numbers in their JSON spelling, null and absence as null. */
    static String text(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        throw new MalformedUserException(field + " is " + value.getNodeType().name().toLowerCase() + ", not a value");
    }

    private static RandomUser.Street street(JsonNode street) {
        if (street.isMissingNode() || street.isNull()) {
            return null;
        }
        if (street.isTextual()) {
            // API versions before 1.3 sent "number name" as one string.
            return new RandomUser.Street(null, street.textValue());
        }
        JsonNode number = street.path("number");
        Integer n = number.canConvertToInt() ? Integer.valueOf(number.intValue())
                : number.isTextual() && number.textValue().matches("\\d{1,9}") ? Integer.valueOf(number.textValue()) : null;
        return new RandomUser.Street(n, text(street, "name"));
    }

    private static RandomUser.Dated dated(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        JsonNode age = node.path("age");
        return new RandomUser.Dated(text(node, "date"), age.canConvertToInt() ? Integer.valueOf(age.intValue()) : null);
    }
}
