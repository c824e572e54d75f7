package dev.spindle.state.internal;

/** Redis stream ids ({@code <ms>-<seq>}). */
final class StreamIds {

    static final String START = "0-0";

    private StreamIds() {}

    /** The Redis server time, in epoch milliseconds, at which the entry {@code id} was added. */
    static long millis(String id) {
        int dash = id.indexOf('-');
        return Long.parseUnsignedLong(dash < 0 ? id : id.substring(0, dash));
    }
}
