package dev.spindle.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One live instance as the registry lists it.
 *
 * @param id          unique per process ({@code cluster.instance-id}, else host name and pid)
 * @param address     where it serves, {@code host:port}
 * @param version     the app's version
 * @param startedAt   when the instance started
 * @param heartbeatAt its last heartbeat, by its own clock
 * @param load        a few load figures at that heartbeat: {@code requestsActive}, {@code loopUtilization}, {@code cpu}
 */
public record Instance(String id, String address, String version, Instant startedAt, Instant heartbeatAt,
                       Map<String, Double> load) {

    public Instance {
        requireNonNull(id, "id");
        requireNonNull(address, "address");
        requireNonNull(version, "version");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(heartbeatAt, "heartbeatAt");
        load = Map.copyOf(load);
    }
}
