package dev.spindle.state.internal;

/** Redis stream ids ({@code <ms>-<seq>}) compared as numbers. */
final class StreamIds {

    static final String START = "0-0";

    private StreamIds() {}

    static int compare(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, dashA)),
                Long.parseUnsignedLong(b.substring(0, dashB)));
        return byTime != 0 ? byTime : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(dashA + 1)),
                Long.parseUnsignedLong(b.substring(dashB + 1)));
    }
}
