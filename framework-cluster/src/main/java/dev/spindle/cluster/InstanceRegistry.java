package dev.spindle.cluster;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The live instances of an app across machines: each instance heartbeats its entry (id, address,
 * version, start time, load) every {@code cluster.heartbeat-interval}; an entry not renewed within
 * {@code cluster.instance-ttl} is gone from {@link #instances()}, so a dead instance disappears
 * within its TTL. On Redis when the app's state is, in this process otherwise (see
 * {@link Coordination}).
 */
public interface InstanceRegistry extends AutoCloseable {

    /** This instance's entry as last sent. */
    Instance self();

    /** The instances whose entries are alive now, this one included once it has sent a heartbeat. */
    CompletionStage<List<Instance>> instances();

    /** Stops heartbeating and removes this instance's entry. */
    @Override
    void close();
}
