package dev.spindle.cluster.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** The load figures an instance reports to the registry, read from its own meters. */
public final class InstanceLoad {

    private InstanceLoad() {}

    /** {@code requestsActive}, {@code loopUtilization} (mean over loops, 0 to 1), {@code cpu} (process, 0 to 1). */
    public static Map<String, Double> of(MeterRegistry registry) {
        Map<String, Double> load = new LinkedHashMap<>();
        Gauge active = registry.find("spindle.http.requests.active").gauge();
        if (active != null) {
            load.put("requestsActive", active.value());
        }
        double sum = 0;
        int loops = 0;
        for (Gauge loop : registry.find("spindle.eventloop.utilization").gauges()) {
            sum += loop.value();
            loops++;
        }
        if (loops > 0) {
            load.put("loopUtilization", sum / loops);
        }
        Gauge cpu = registry.find("process.cpu.usage").gauge();
        if (cpu != null && !Double.isNaN(cpu.value())) {
            load.put("cpu", cpu.value());
        }
        return load;
    }
}
