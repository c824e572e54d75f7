package dev.spindle.state.internal;

import tools.jackson.databind.json.JsonMapper;

/** The Jackson mapper for stored values: sessions, cache entries. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** JSON text read as {@code type}. */
    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
