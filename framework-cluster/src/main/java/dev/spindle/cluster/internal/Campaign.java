package dev.spindle.cluster.internal;

import dev.spindle.cluster.LeaderElection;
import dev.spindle.cluster.Leadership;
import dev.spindle.state.StateClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's campaign for one duty, over any {@link LeaseStore}. The leader renews every third
 * of the lease; its leadership is valid until the time it <em>sent</em> its last successful
 * renewal plus the lease, which is exactly the end the store recorded, so it is never valid after
 * another instance could have taken over. A failed renewal demotes at once (safety before
 * liveness); a follower tries again every third of the lease and exactly when the current lease
 * ends, so failover after a leader dies takes at most one lease, and a lease given up is taken
 * within a third of one.
 */
public final class Campaign implements LeaderElection {

    private static final Logger log = LoggerFactory.getLogger(Campaign.class);

    private final String duty;
    private final String holder;
    private final LeaseStore store;
    private final StateClock clock;
    private final long leaseMillis;
    private final List<Consumer<Optional<Leadership>>> listeners = new CopyOnWriteArrayList<>();
    private Leadership current;
    private StateClock.Timer next;
    private StateClock.Timer expiry;
    private boolean closed;
    private boolean failing;

    public Campaign(String duty, String holder, LeaseStore store, StateClock clock, Duration lease) {
        this.duty = duty;
        this.holder = holder;
        this.store = store;
        this.clock = clock;
        this.leaseMillis = lease.toMillis();
    }

    /** Starts campaigning. */
    public Campaign start() {
        attempt();
        return this;
    }

    private void attempt() {
        long sentAt;
        synchronized (this) {
            if (closed) {
                return;
            }
            sentAt = clock.millis();
        }
        try {
            store.acquire(duty, holder, sentAt, leaseMillis)
                    .whenComplete((lease, error) -> settle(sentAt, lease, error));
        } catch (RuntimeException e) {
            settle(sentAt, null, e);
        }
    }

    private void settle(long sentAt, LeaseStore.Lease lease, Throwable error) {
        Optional<Leadership> changed = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            long delay;
            if (error != null) {
                if (!failing) {
                    log.warn("Leader election '{}': the store is unreachable ({}){}", duty, error.toString(),
                            current != null ? "; stepping down" : "");
                }
                failing = true;
                changed = demote();
                delay = leaseMillis / 3;
            } else {
                if (failing) {
                    log.info("Leader election '{}': the store answers again", duty);
                }
                failing = false;
                if (lease.holder().equals(holder) && lease.expiresAtMillis() == sentAt + leaseMillis) {
                    boolean elected = current == null || current.token() != lease.token();
                    current = new Leadership(duty, holder, lease.token(), Instant.ofEpochMilli(lease.expiresAtMillis()));
                    armExpiry(lease.expiresAtMillis());
                    if (elected) {
                        log.info("Leader election '{}': {} leads with fencing token {}", duty, holder, lease.token());
                        changed = Optional.of(current);
                    }
                    delay = leaseMillis / 3;
                } else {
                    changed = demote();
                    // Again when this lease ends (failover within the lease), or sooner if it is given up.
                    delay = Math.max(1, Math.min(lease.expiresAtMillis() - clock.millis(), leaseMillis / 3));
                }
            }
            next = clock.schedule(this::attempt, Duration.ofMillis(delay));
        }
        notifyListeners(changed);
    }

    /** Ends leadership when its lease runs out without a renewal having extended it. */
    private void armExpiry(long expiresAtMillis) {
        if (expiry != null) {
            expiry.cancel();
        }
        expiry = clock.schedule(() -> {
            Optional<Leadership> changed = null;
            synchronized (this) {
                if (current != null && current.validUntil().toEpochMilli() <= clock.millis()) {
                    changed = demote();
                }
            }
            notifyListeners(changed);
        }, Duration.ofMillis(Math.max(0, expiresAtMillis - clock.millis())));
    }

    /** Drops leadership; returns the change to report, or null when there was none. */
    private Optional<Leadership> demote() {
        if (current == null) {
            return null;
        }
        log.info("Leader election '{}': {} no longer leads (token {})", duty, holder, current.token());
        current = null;
        return Optional.empty();
    }

    private void notifyListeners(Optional<Leadership> changed) {
        if (changed == null) {
            return;
        }
        for (Consumer<Optional<Leadership>> listener : listeners) {
            try {
                listener.accept(changed);
            } catch (RuntimeException e) {
                log.warn("Leader election '{}': a listener failed", duty, e);
            }
        }
    }

    @Override
    public String duty() {
        return duty;
    }

    @Override
    public synchronized Optional<Leadership> leadership() {
        if (current == null || current.validUntil().toEpochMilli() <= clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    @Override
    public void onChange(Consumer<Optional<Leadership>> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        Leadership held;
        Optional<Leadership> changed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel();
            }
            if (expiry != null) {
                expiry.cancel();
            }
            held = current;
            changed = demote();
        }
        notifyListeners(changed);
        if (held != null) {
            store.release(duty, holder, held.token());
        }
    }

    /** Stops campaigning without giving the lease up: what a crash looks like to the others (tests). */
    public synchronized void abandon() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }
}
