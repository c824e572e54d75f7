package dev.spindle.cluster;

import static java.util.Objects.requireNonNull;

import dev.spindle.cluster.internal.Campaign;
import dev.spindle.cluster.internal.Heartbeats;
import dev.spindle.cluster.internal.InstanceLoad;
import dev.spindle.core.Config;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.state.State;
import dev.spindle.state.StateClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Coordination of an app's instances across machines: the {@linkplain #registry() instance
 * registry} and {@linkplain #election(String) leader elections}, on Redis when the app's state is
 * (so every instance behind the load balancer takes part), in this process otherwise.
 *
 * <pre>{@code
 * State state = State.install(app);
 * Coordination cluster = Coordination.install(app, state);   // heartbeats, GET /cluster/instances
 * LeaderElection scheduler = cluster.election("scheduler");
 * }</pre>
 */
public final class Coordination implements AutoCloseable {

    private final CoordinationStore store;
    private final StateClock clock;
    private final String instanceId;
    private final Duration lease;
    private final Heartbeats registry;
    private final Map<String, Campaign> elections = new LinkedHashMap<>();
    private boolean closed;

    private Coordination(Builder builder) {
        this.store = builder.store;
        this.clock = builder.clock;
        this.instanceId = builder.instanceId;
        this.lease = builder.config.get(ClusterSettings.LEASE);
        Instant startedAt = clock.now();
        Supplier<String> address = builder.address;
        Supplier<Map<String, Double>> load = builder.load;
        this.registry = new Heartbeats(store.registry, clock,
                at -> new Instance(instanceId, address.get(), builder.version, startedAt, at, load.get()),
                builder.config.get(ClusterSettings.HEARTBEAT_INTERVAL), builder.config.get(ClusterSettings.INSTANCE_TTL),
                builder.active);
        registry.start();
    }

    /**
     * Joins {@code app} to its cluster: on Redis when {@code state} is, heartbeating while the app
     * is ready, listing live instances at {@code cluster.view-path} ({@code /cluster/instances}),
     * and leaving the registry and giving up leaderships when the app stops. Call before
     * {@code start()}.
     */
    public static Coordination install(Spindle app, State state) {
        requireNonNull(app, "app");
        requireNonNull(state, "state");
        Config config = app.config();
        Coordination coordination = builder(config)
                .store(state.redis().map(CoordinationStore::redis).orElseGet(CoordinationStore::process))
                .address(() -> config.get(ClusterSettings.INSTANCE_ADDRESS).orElseGet(() -> hostAddress() + ":" + app.port()))
                .load(() -> InstanceLoad.of(app.meterRegistry()))
                .activeWhile(app::isReady)
                .build();
        app.get(config.get(ClusterSettings.VIEW_PATH), ctx -> coordination.registry().instances()
                .thenApply(instances -> Response.json(view(coordination.instanceId, instances))));
        app.closeOnStop(coordination);
        return coordination;
    }

    private static Map<String, Object> view(String self, List<Instance> instances) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("self", self);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Instance instance : instances) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", instance.id());
            entry.put("address", instance.address());
            entry.put("version", instance.version());
            entry.put("startedAt", instance.startedAt().toString());
            entry.put("heartbeatAt", instance.heartbeatAt().toString());
            entry.put("load", instance.load());
            list.add(entry);
        }
        view.put("instances", list);
        return view;
    }

    /** A builder for coordination outside {@link #install} (workers, tests), reading {@code cluster.*} from {@code config}. */
    public static Builder builder(Config config) {
        return new Builder(requireNonNull(config, "config"));
    }

    /** This instance's id in the registry and as a leader. */
    public String instanceId() {
        return instanceId;
    }

    /** The instance registry. */
    public InstanceRegistry registry() {
        return registry;
    }

    /** The election for {@code duty}, campaigning from the first call on; closed with this object. */
    public synchronized LeaderElection election(String duty) {
        requireNonNull(duty, "duty");
        if (closed) {
            throw new IllegalStateException("Coordination is closed");
        }
        return elections.computeIfAbsent(duty, name -> new Campaign(name, instanceId, store.leases, clock, lease).start());
    }

    /** Gives up every leadership and leaves the registry. */
    @Override
    public void close() {
        List<Campaign> campaigns;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            campaigns = new ArrayList<>(elections.values());
        }
        campaigns.forEach(Campaign::close);
        registry.close();
    }

    /** Simulates a crash for tests: heartbeats and renewals stop, nothing is given up. */
    void abandon() {
        synchronized (this) {
            closed = true;
            elections.values().forEach(Campaign::abandon);
        }
        registry.abandon();
    }

    private static String hostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** Builds a {@link Coordination}. */
    public static final class Builder {

        private final Config config;
        private CoordinationStore store = CoordinationStore.process();
        private StateClock clock = StateClock.system();
        private String instanceId;
        private String version;
        private Supplier<String> address = () -> hostAddress();
        private Supplier<Map<String, Double>> load = Map::of;
        private BooleanSupplier active = () -> true;

        private Builder(Config config) {
            this.config = config;
            this.instanceId = config.get(ClusterSettings.INSTANCE_ID).orElseGet(Builder::defaultId);
            this.version = config.get(ClusterSettings.INSTANCE_VERSION).orElseGet(Builder::defaultVersion);
        }

        private static String defaultId() {
            String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank()).orElseGet(() -> {
                try {
                    return InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    return "localhost";
                }
            });
            return host + "-" + ProcessHandle.current().pid();
        }

        private static String defaultVersion() {
            return Optional.ofNullable(Coordination.class.getPackage().getImplementationVersion()).orElse("unknown");
        }

        /** Where to register and elect (the process's in-memory store by default). */
        public Builder store(CoordinationStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /** The clock heartbeats, TTLs and leases follow (tests pass one they move by hand). */
        public Builder clock(StateClock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** This instance's id. */
        public Builder instanceId(String id) {
            this.instanceId = requireNonNull(id, "id");
            return this;
        }

        /** The version reported. */
        public Builder version(String version) {
            this.version = requireNonNull(version, "version");
            return this;
        }

        /** The address reported, read at each heartbeat. */
        public Builder address(Supplier<String> address) {
            this.address = requireNonNull(address, "address");
            return this;
        }

        /** The load figures reported, read at each heartbeat. */
        public Builder load(Supplier<Map<String, Double>> load) {
            this.load = requireNonNull(load, "load");
            return this;
        }

        /** Heartbeats are sent only while this holds (an app: while it is ready). */
        public Builder activeWhile(BooleanSupplier active) {
            this.active = requireNonNull(active, "active");
            return this;
        }

        /** Starts heartbeating. */
        public Coordination build() {
            return new Coordination(this);
        }
    }
}
