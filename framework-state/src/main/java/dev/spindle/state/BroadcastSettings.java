package dev.spindle.state;

import dev.spindle.core.Setting;
import dev.spindle.core.spi.SettingsProvider;
import java.time.Duration;
import java.util.List;

/** Settings of the broadcaster (its Redis backlog is {@link StateSettings#BROADCAST_BACKLOG}). */
public final class BroadcastSettings implements SettingsProvider {

    /** Messages a subscriber may have waiting for its executor before the overflow policy applies. */
    public static final Setting<Integer> SUBSCRIBER_QUEUE =
            Setting.integer("broadcast.subscriber-queue", 1024, 1, 1 << 20);
    /** The default {@link Overflow} policy of a subscription: {@code drop-oldest} or {@code close}. */
    public static final Setting<Overflow> OVERFLOW =
            Setting.oneOf("broadcast.overflow", Overflow.class, Overflow.DROP_OLDEST);
    /** A topic's Redis stream is deleted this long after its last message, so idle topics cost nothing. */
    public static final Setting<Duration> STREAM_TTL = Setting.duration("broadcast.stream-ttl", Duration.ofHours(1));

    @Override
    public List<Setting<?>> settings() {
        return List.of(SUBSCRIBER_QUEUE, OVERFLOW, STREAM_TTL);
    }
}
