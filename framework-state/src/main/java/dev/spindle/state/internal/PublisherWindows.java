package dev.spindle.state.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which sequence numbers of each publisher a topic's reader has already seen: the last 1,024 of
 * each of the 256 most recent publishers (instances come and go). A number seen before, or older
 * than the window, is a second copy of a message, e.g. one re-sent after a reconnect. Used by the
 * reader only.
 */
final class PublisherWindows {

    private static final int PUBLISHERS = 256;
    private static final int WINDOW = 1024;

    private final Map<String, Window> byPublisher = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > PUBLISHERS;
        }
    };

    /** Whether this is the first copy of {@code publisher}'s message number {@code seq}; records it. */
    boolean firstCopy(String publisher, long seq) {
        return byPublisher.computeIfAbsent(publisher, p -> new Window()).firstCopy(seq);
    }

    private static final class Window {
        private final long[] seen = new long[WINDOW / Long.SIZE];
        private long highest = Long.MIN_VALUE;

        boolean firstCopy(long seq) {
            if (highest == Long.MIN_VALUE || seq - highest >= WINDOW) {
                Arrays.fill(seen, 0);
                highest = seq;
            } else if (seq > highest) {
                for (long cleared = highest + 1; cleared <= seq; cleared++) {
                    flip(cleared, false);
                }
                highest = seq;
            } else if (highest - seq >= WINDOW || isSet(seq)) {
                return false;
            }
            flip(seq, true);
            return true;
        }

        private boolean isSet(long seq) {
            int bit = (int) Math.floorMod(seq, (long) WINDOW);
            return (seen[bit >>> 6] & (1L << bit)) != 0;
        }

        private void flip(long seq, boolean on) {
            int bit = (int) Math.floorMod(seq, (long) WINDOW);
            if (on) {
                seen[bit >>> 6] |= 1L << bit;
            } else {
                seen[bit >>> 6] &= ~(1L << bit);
            }
        }
    }
}
