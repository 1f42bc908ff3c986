package dev.userpipeline.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Why a JSON text does not fit the schema Spark read it with: not JSON at all (and where it breaks), not an object, or
 * the first field whose JSON type the schema cannot take ({@code payload.name is a string, not an object}). Spark's
 * own parser only says that the record is corrupt; this is asked for rejected records alone, so valid ones pay nothing.
 */
public final class JsonShape {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonShape() {
    }

    /** The problem, naming {@code what} ("value", "payload") and the field; a general one when none is found. */
    public static String problem(String what, String json, StructType schema) {
        if (json == null) {
            return what + " is missing";
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's offset is that of the character after the one it stopped at: the 1-based position of that one.
            String where = e.getLocation() == null ? "" : " at character " + Math.max(1, e.getLocation().getCharOffset());
            return what + " is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("") + where;
        }
        if (node == null || node.isMissingNode()) {
            return what + " is empty, not a JSON object";
        }
        if (!node.isObject()) {
            return what + " is " + kind(node) + ", not a JSON object";
        }
        String misfit = misfit(what, node, schema);
        return misfit != null ? misfit : what + " does not fit its schema";
    }

    private static String misfit(String path, JsonNode object, StructType schema) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(UserSchemas.CORRUPT)) {
                continue;
            }
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                continue;
            }
            String at = path + "." + field.name();
            String problem = misfit(at, value, field.dataType());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String misfit(String at, JsonNode value, DataType type) {
        if (type instanceof StructType struct) {
            return value.isObject() ? misfit(at, value, struct) : at + " is " + kind(value) + ", not an object";
        }
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)) {
            return value.canConvertToLong() && value.isIntegralNumber() ? null
                    : at + " is " + kind(value) + shown(value) + ", not a whole number";
        }
        if (type.equals(DataTypes.StringType)) {
            // Spark takes any JSON value as text.
            return null;
        }
        return null;
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? "a number too large" : "a decimal number";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shown(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.length() > 40 ? " (" + text.substring(0, 40) + "...)" : " (" + text + ")";
    }
}
