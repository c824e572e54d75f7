package dev.spindle.cluster.internal;

import java.util.BitSet;

/**
 * Ports of the workers' metrics endpoints: 0 (each worker picks a free one), -1 (none), or from a
 * fixed first port, twice as many as workers, since during a rolling restart a slot's old and new
 * worker run side by side.
 */
public final class MetricsPorts {

    private final String host;
    private final int first;
    private final BitSet used;
    private final int size;

    public MetricsPorts(String host, int first, int workers) {
        this.host = host;
        this.first = first;
        this.size = 2 * workers;
        this.used = new BitSet(size);
    }

    /** The address workers' metrics endpoints listen on. */
    public String host() {
        return host;
    }

    int acquire() {
        if (first <= 0) {
            return first;
        }
        int index = used.nextClearBit(0);
        if (index >= size) {
            throw new IllegalStateException("No free metrics port between " + first + " and " + (first + size - 1));
        }
        used.set(index);
        return first + index;
    }

    void release(int port) {
        if (first > 0 && port >= first && port < first + size) {
            used.clear(port - first);
        }
    }
}
