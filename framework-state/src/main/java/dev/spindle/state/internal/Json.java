package dev.spindle.state.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
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

    /** Readers and writers resolved once per type (a root (de)serialiser lookup per value otherwise). */
    private record Codecs(ObjectMapper mapper, Map<Class<?>, ObjectReader> readers, Map<Class<?>, ObjectWriter> writers) {}

    private final Supplier<? extends ObjectMapper> mapper;
    private volatile Codecs codecs;

    public Json(Supplier<? extends ObjectMapper> mapper) {
        this.mapper = mapper;
    }

    private Codecs codecs() {
        ObjectMapper current = mapper.get();
        Codecs known = codecs;
        if (known == null || known.mapper() != current) {
            known = new Codecs(current, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            codecs = known;
        }
        return known;
    }

    /** Jackson's defaults, warmed up, for state made without an app. */
    public static Json defaults() {
        return DEFAULT;
    }

    /** {@code value} as JSON text. */
    public String write(Object value) {
        Codecs current = codecs();
        return current.writers().computeIfAbsent(value.getClass(), current.mapper()::writerFor)
                .writeValueAsString(value);
    }

    /** JSON text read as {@code type}. */
    public <T> T read(String json, Class<T> type) {
        Codecs current = codecs();
        return current.readers().computeIfAbsent(type, current.mapper()::readerFor).readValue(json);
    }

    /** Resolves the (de)serialisers of {@code type} now, at set-up, rather than on the first request's loop. */
    public void warm(Class<?> type) {
        Codecs current = codecs();
        current.readers().computeIfAbsent(type, current.mapper()::readerFor);
        current.writers().computeIfAbsent(type, current.mapper()::writerFor);
    }

    private static ObjectMapper warmed(ObjectMapper mapper) {
        mapper.readValue(mapper.writeValueAsString(java.util.Map.of("warm", java.util.List.of(1, "up"))),
                java.util.Map.class);
        return mapper;
    }
}
