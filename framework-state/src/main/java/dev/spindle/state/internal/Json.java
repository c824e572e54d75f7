package dev.spindle.state.internal;

import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson mapper for stored values (sessions, cache entries): the app's own, as set with
 * {@code app.json(mapper)}, so modules and custom serialisers apply to state too. Read at each
 * use, since an app may set its mapper after installing state.
 */
public final class Json {

    private static final Json DEFAULT = new Json(new Supplier<>() {
        private final ObjectMapper mapper = warmed(JsonMapper.builder().build());

        @Override
        public ObjectMapper get() {
            return mapper;
        }
    });

    private final Supplier<? extends ObjectMapper> mapper;

    public Json(Supplier<? extends ObjectMapper> mapper) {
        this.mapper = mapper;
    }

    /** Jackson's defaults, warmed up, for state made without an app. */
    public static Json defaults() {
        return DEFAULT;
    }

    /** {@code value} as JSON text. */
    public String write(Object value) {
        return mapper.get().writeValueAsString(value);
    }

    /** JSON text read as {@code type}. */
    public <T> T read(String json, Class<T> type) {
        return mapper.get().readValue(json, type);
    }

    /** Resolves the (de)serialisers of {@code type} now, at set-up, rather than on the first request's loop. */
    public void warm(Class<?> type) {
        ObjectMapper current = mapper.get();
        current.readerFor(type);
        current.writerFor(type);
    }

    private static ObjectMapper warmed(ObjectMapper mapper) {
        mapper.readValue(mapper.writeValueAsString(java.util.Map.of("warm", java.util.List.of(1, "up"))),
                java.util.Map.class);
        return mapper;
    }
}
