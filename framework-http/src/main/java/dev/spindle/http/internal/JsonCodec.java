package dev.spindle.http.internal;

import dev.spindle.http.HttpException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * JSON in and out with the app's Jackson mapper: values are written straight into the response
 * buffer, and a body that does not bind becomes a 400 that says what was wrong and where.
 */
public final class JsonCodec {

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writer();
    }

    /** The mapper. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Serialises {@code value} (Jackson writes through its own recycled buffers). */
    public byte[] writeBytes(Object value) {
        return writer.writeValueAsBytes(value);
    }

    /** Binds {@code body} to {@code type}; an unusable body is a 400 with the reason and location. */
    public <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw HttpException.badRequest("Request body is empty; expected JSON");
        }
        ObjectReader reader = mapper.readerFor(type);
        try {
            return reader.readValue(body);
        } catch (JacksonException e) {
            throw new HttpException(400, describe(e), e);
        }
    }

    static String describe(JacksonException e) {
        StringBuilder detail = new StringBuilder();
        if (e instanceof StreamReadException && !(e instanceof DatabindException)) {
            detail.append("Malformed JSON");
        } else {
            detail.append("JSON does not match the expected shape");
        }
        String path = path(e.getPath());
        if (!path.isEmpty()) {
            detail.append(" at ").append(path);
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr())
                    .append(')');
        }
        String message = e.getOriginalMessage();
        if (message != null && !message.isBlank()) {
            detail.append(": ").append(firstLine(message));
        }
        return detail.toString();
    }

    private static String path(List<JacksonException.Reference> references) {
        if (references == null || references.isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static final java.util.regex.Pattern QUALIFIED_TYPE =
            java.util.regex.Pattern.compile("`(?:[A-Za-z_][\\w]*\\.)+(?:[\\w]+\\$)*([\\w]+)`");

    /** The first line, with Java type names cut to their simple names: clients need the shape, not our packages. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return QUALIFIED_TYPE.matcher(line).replaceAll("`$1`");
    }
}
