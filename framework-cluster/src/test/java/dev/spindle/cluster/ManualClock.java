package dev.spindle.cluster;

import dev.spindle.state.StateClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A {@link StateClock} that moves only when a test says so; due timers run on the advancing thread. */
final class ManualClock implements StateClock {

    private record Task(long dueNanos, long order, Runnable task) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long nanos = 1_000_000_000L;
    private long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private long order;

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        Task scheduled = new Task(nanos + Math.max(0, delay.toNanos()), order++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves time on by {@code step}, running every timer that falls due, in order. */
    void advance(Duration step) {
        long target;
        synchronized (this) {
            target = nanos + step.toNanos();
        }
        while (true) {
            List<Runnable> due = new ArrayList<>();
            synchronized (this) {
                Task next = tasks.peek();
                if (next == null || next.dueNanos() > target) {
                    millis += (target - nanos) / 1_000_000L;
                    nanos = target;
                    break;
                }
                tasks.poll();
                millis += (next.dueNanos() - nanos) / 1_000_000L;
                nanos = next.dueNanos();
                due.add(next.task());
            }
            due.forEach(Runnable::run);
        }
    }

    /** Timers waiting to fall due. */
    synchronized int pending() {
        return tasks.size();
    }
}
