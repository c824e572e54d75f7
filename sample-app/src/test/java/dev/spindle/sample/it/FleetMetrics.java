package dev.spindle.sample.it;

import java.io.IOException;
import java.util.List;

/** Sums of one series family over the instances' own {@code /metrics}, read directly (no scrape delay). */
final class FleetMetrics {

    private FleetMetrics() {}

    /**
     * The sum over {@code apps} of the samples named {@code name} whose labels contain every one of
     * {@code labels} (e.g. {@code queue="reports"}); an instance without the series adds 0.
     */
    static double sum(List<SampleProcess> apps, String name, String... labels) throws IOException {
        double sum = 0;
        for (SampleProcess app : apps) {
            sum += of(app, name, labels);
        }
        return sum;
    }

    /** As {@link #sum}, for one instance. */
    static double of(SampleProcess app, String name, String... labels) throws IOException {
        double sum = 0;
        for (String line : app.get("/metrics").body().lines().toList()) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
