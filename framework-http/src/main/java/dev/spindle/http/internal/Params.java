package dev.spindle.http.internal;

import dev.spindle.http.HttpException;
import java.util.Locale;
import java.util.UUID;

/** Converts parameter text to the types handlers ask for; a bad value is a 400 naming the parameter. */
final class Params {

    private Params() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> T convert(String kind, String name, String value, Class<T> type) {
        try {
            if (type == String.class) {
                return (T) value;
            }
            if (type == Integer.class || type == int.class) {
                return (T) Integer.valueOf(value);
            }
            if (type == Long.class || type == long.class) {
                return (T) Long.valueOf(value);
            }
            if (type == Double.class || type == double.class) {
                return (T) Double.valueOf(value);
            }
            if (type == Boolean.class || type == boolean.class) {
                if (value.equals("true") || value.equals("false")) {
                    return (T) Boolean.valueOf(value);
                }
                throw new IllegalArgumentException();
            }
            if (type == UUID.class) {
                return (T) UUID.fromString(value);
            }
            if (type.isEnum()) {
                return (T) Enum.valueOf((Class) type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        } catch (IllegalArgumentException e) {
            throw HttpException.badRequest(kind + " parameter '" + name + "' must be " + expected(type) + ", got '"
                    + abbreviate(value) + "'");
        }
        throw new IllegalArgumentException("type: " + type.getName()
                + " (expected: String, Integer, Long, Double, Boolean, UUID or an enum)");
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a 32-bit integer";
        }
        if (type == Long.class || type == long.class) {
            return "a 64-bit integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        StringBuilder constants = new StringBuilder("one of ");
        Object[] values = type.getEnumConstants();
        for (int i = 0; i < values.length; i++) {
            constants.append(i == 0 ? "" : ", ").append(((Enum<?>) values[i]).name().toLowerCase(Locale.ROOT));
        }
        return constants.toString();
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
