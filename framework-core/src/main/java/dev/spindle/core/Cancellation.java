package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The signal that work started for a request is no longer wanted: its deadline passed or its
 * client left. Stages that start work (offloaded tasks, timers, outbound and Redis calls) register
 * what undoes it with {@link #onCancel(Runnable)}; {@link #cancel()} runs each action once. Unlike
 * cancelling a {@code CompletableFuture}, this reaches work behind any number of {@code thenCompose}
 * steps and middleware, and never cancels a future that other callers share.
 *
 * <pre>{@code
 * ScheduledFuture<?> timer = loop.schedule(task, 1, SECONDS);
 * cancellation.onCancel(() -> timer.cancel(false));
 * }</pre>
 *
 * <p>Thread-safe and lock-free; actions run on the thread that cancels (for a request, its loop).
 */
public final class Cancellation {

    private static final Node CANCELLED = new Node(null, null);
    private static final Cancellation NEVER = new Cancellation();

    /** Registered actions, newest first; {@link #CANCELLED} once cancelled. */
    private final AtomicReference<Node> actions = new AtomicReference<>();

    /** A signal not yet cancelled. */
    public static Cancellation create() {
        return new Cancellation();
    }

    /** A signal that is never cancelled, for work that no request owns. */
    public static Cancellation never() {
        return NEVER;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return actions.get() == CANCELLED;
    }

    /**
     * Runs {@code action} when this is cancelled, at once if it already is. Closing the returned
     * registration forgets the action (call it when the work finished on its own).
     */
    public Registration onCancel(Runnable action) {
        requireNonNull(action, "action");
        if (this == NEVER) {
            return Registration.NONE;
        }
        Node node;
        Node head;
        do {
            head = actions.get();
            if (head == CANCELLED) {
                action.run();
                return Registration.NONE;
            }
            node = new Node(action, openFrom(head));
        } while (!actions.compareAndSet(head, node));
        Node registered = node;
        return () -> registered.action = null;
    }

    /**
     * {@code head} without the closed registrations at its front. Work that registers, completes
     * and closes one call after another (a long request making many Redis calls) closes the
     * newest first, so dropping them here keeps the list as short as the work still running.
     * A closed action never comes back, so skipping it is safe whatever other threads do.
     */
    private static Node openFrom(Node head) {
        Node node = head;
        while (node != null && node.action == null) {
            node = node.next;
        }
        return node;
    }

    /** Registrations held in the list, closed ones included, for tests. */
    int held() {
        int count = 0;
        Node head = actions.get();
        for (Node node = head == CANCELLED ? null : head; node != null; node = node.next) {
            count++;
        }
        return count;
    }

    /** Cancels: runs every registered action once, newest first. Returns false if already cancelled. */
    public boolean cancel() {
        if (this == NEVER) {
            return false;
        }
        Node head = actions.getAndSet(CANCELLED);
        if (head == CANCELLED) {
            return false;
        }
        RuntimeException failure = null;
        for (Node node = head; node != null; node = node.next) {
            Runnable action = node.action;
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return true;
    }

    /** An action registered with {@link #onCancel(Runnable)}. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {

        /** A registration with nothing to forget. */
        Registration NONE = () -> { };

        /** Forgets the action: it will not run. */
        @Override
        void close();
    }

    private static final class Node {
        volatile Runnable action;
        final Node next;

        Node(Runnable action, Node next) {
            this.action = action;
            this.next = next;
        }
    }
}
