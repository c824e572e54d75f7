package dev.spindle.http.internal.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Range: bytes=...} header (RFC 9110, section 14) against a representation of a given
 * size: first-last, first- and -suffix specs; overlapping and adjacent ranges are coalesced. A
 * header that does not parse is ignored (the whole file is sent), as is a request for several
 * disjoint ranges, which this server answers with the whole file rather than multipart.
 */
public final class ByteRanges {

    private static final int MAX_SPECS = 64;

    /** What to answer. */
    public sealed interface Outcome {}

    /** Send the whole representation (200). */
    public record Whole() implements Outcome {}

    /** Send one range (206). */
    public record Partial(long start, long length) implements Outcome {
        /** The last byte's position. */
        public long end() {
            return start + length - 1;
        }
    }

    /** No range overlaps the representation (416). */
    public record Unsatisfiable() implements Outcome {}

    private ByteRanges() {}

    /** The outcome of {@code header} for a representation of {@code size} bytes. */
    public static Outcome of(String header, long size) {
        String value = header.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();
        }
        String[] specs = value.substring(6).split(",", -1);
        if (specs.length > MAX_SPECS) {
            return new Whole();
        }
        List<long[]> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.trim();
            int dash = spec.indexOf('-');
            if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
                return new Whole();
            }
            long first = number(spec.substring(0, dash));
            long last = number(spec.substring(dash + 1));
            if (dash == 0) {
                if (last < 0) {
                    return new Whole();
                }
                if (last > 0 && size > 0) {
                    ranges.add(new long[] {Math.max(0, size - last), size - 1});
                }
            } else {
                boolean open = dash == spec.length() - 1;
                if (first < 0 || (!open && (last < 0 || last < first))) {
                    return new Whole();
                }
                if (first < size) {
                    ranges.add(new long[] {first, open ? size - 1 : Math.min(last, size - 1)});
                }
            }
        }
        if (ranges.isEmpty()) {
            return new Unsatisfiable();
        }
        ranges.sort(Comparator.comparingLong(range -> range[0]));
        long start = ranges.get(0)[0];
        long end = ranges.get(0)[1];
        for (long[] range : ranges.subList(1, ranges.size())) {
            if (range[0] > end + 1) {
                return new Whole();
            }
            end = Math.max(end, range[1]);
        }
        return new Partial(start, end - start + 1);
    }

    /** A non-negative decimal, -1 when empty or not one (too long included). */
    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
