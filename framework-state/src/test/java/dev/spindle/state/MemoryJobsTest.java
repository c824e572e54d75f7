package dev.spindle.state;

import dev.spindle.state.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;

/** The jobs kit against the in-memory twin: "instances" share one store and one broadcaster. */
class MemoryJobsTest extends JobsContract {

    private final Broadcaster broadcaster = Broadcaster.inMemory(() -> pool);
    private Jobs first;

    @Override
    protected Jobs instance(StateClock clock, MeterRegistry registry) {
        Jobs.Builder builder = Jobs.builder().broadcaster(broadcaster).clock(clock).executor(pool).registry(registry);
        if (first != null) {
            builder.sharingMemoryWith(first);
        }
        Jobs jobs = builder.build();
        if (first == null) {
            first = jobs;
        }
        return track(jobs);
    }
}
