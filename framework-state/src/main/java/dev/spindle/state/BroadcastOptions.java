package dev.spindle.state;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import java.time.Duration;

/**
 * How a {@link Broadcaster} bounds what it keeps.
 *
 * @param backlog messages each topic's Redis stream keeps, so an instance that was briefly cut off
 *     from Redis catches up without loss ({@code broadcast.backlog})
 * @param subscriberQueue messages a subscriber may have waiting for its executor before {@code overflow}
 *     applies ({@code broadcast.subscriber-queue})
 * @param overflow the default policy of a subscription whose queue is full ({@code broadcast.overflow})
 * @param streamTtl how long a topic's Redis stream outlives its last message ({@code broadcast.stream-ttl})
 */
public record BroadcastOptions(int backlog, int subscriberQueue, Overflow overflow, Duration streamTtl) {

    /** Checks the parts where they enter. */
    public BroadcastOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog: " + backlog + " (expected: > 0)");
        }
        if (subscriberQueue < 1) {
            throw new IllegalArgumentException("subscriberQueue: " + subscriberQueue + " (expected: > 0)");
        }
        requireNonNull(overflow, "overflow");
        requireNonNull(streamTtl, "streamTtl");
        if (streamTtl.toMillis() < 1) {
            throw new IllegalArgumentException("streamTtl: " + streamTtl + " (expected: >= 1 ms)");
        }
    }

    /** The defaults of the settings. */
    public static BroadcastOptions defaults() {
        return new BroadcastOptions(StateSettings.BROADCAST_BACKLOG.defaultValue(),
                BroadcastSettings.SUBSCRIBER_QUEUE.defaultValue(), BroadcastSettings.OVERFLOW.defaultValue(),
                BroadcastSettings.STREAM_TTL.defaultValue());
    }

    /** Options from configuration. */
    public static BroadcastOptions from(Config config) {
        return new BroadcastOptions(config.get(StateSettings.BROADCAST_BACKLOG),
                config.get(BroadcastSettings.SUBSCRIBER_QUEUE), config.get(BroadcastSettings.OVERFLOW),
                config.get(BroadcastSettings.STREAM_TTL));
    }

    /** A copy with another backlog. */
    public BroadcastOptions backlog(int messages) {
        return new BroadcastOptions(messages, subscriberQueue, overflow, streamTtl);
    }

    /** A copy with another subscriber queue bound. */
    public BroadcastOptions subscriberQueue(int messages) {
        return new BroadcastOptions(backlog, messages, overflow, streamTtl);
    }

    /** A copy with another default overflow policy. */
    public BroadcastOptions overflow(Overflow policy) {
        return new BroadcastOptions(backlog, subscriberQueue, policy, streamTtl);
    }

    /** A copy with another stream time-to-live. */
    public BroadcastOptions streamTtl(Duration ttl) {
        return new BroadcastOptions(backlog, subscriberQueue, overflow, ttl);
    }
}
