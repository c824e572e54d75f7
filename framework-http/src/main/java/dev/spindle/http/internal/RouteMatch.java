package dev.spindle.http.internal;

/**
 * The outcome of routing one request: the entry to run, the path parameter values in template
 * order, and for 405 and automatic OPTIONS answers the {@code Allow} header value.
 */
public record RouteMatch(RouteEntry entry, String[] values, String allow) {

    static final String[] NO_VALUES = new String[0];

    /** The value of a named path parameter, or null. */
    public String value(String name) {
        String[] names = entry.paramNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }
}
