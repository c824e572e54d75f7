package dev.spindle.state.jobs.internal;

import dev.spindle.state.jobs.internal.JobStore.FetchRequest;
import dev.spindle.state.jobs.internal.JobStore.Leased;
import dev.spindle.state.jobs.internal.JobStore.NewRecord;
import dev.spindle.state.jobs.internal.JobStore.Retention;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One queue of {@link MemoryJobStore}, guarded by its own monitor; mirrors the Redis keys and scripts. */
final class MemoryQueue {

    private static final long P43 = 1L << 43;
    private static final long P42 = 1L << 42;

    /** A member of an ordered set. */
    record Ranked(long score, String id) {}

    private static final Comparator<Ranked> ORDER = Comparator.comparingLong(Ranked::score).thenComparing(Ranked::id);

    final Map<String, Map<String, String>> jobs = new HashMap<>();
    final TreeSet<Ranked> wait = new TreeSet<>(ORDER);
    private final Map<String, Ranked> waitIndex = new HashMap<>();
    final TreeSet<Ranked> delayed = new TreeSet<>(ORDER);
    private final Map<String, Ranked> delayedIndex = new HashMap<>();
    final Map<String, Long> active = new HashMap<>();
    final LinkedHashMap<String, Long> completed = new LinkedHashMap<>();
    final LinkedHashMap<String, Long> failed = new LinkedHashMap<>();
    final Map<String, Long> dedupe = new HashMap<>();
    final Map<String, Long> fired = new HashMap<>();
    long ids;
    long seq;
    long token;
    boolean paused;
    long rateWindow = -1;
    long rateCount;

    void add(String id, NewRecord job, long now) {
        Map<String, String> fields = new HashMap<>();
        fields.put("d", job.data());
        fields.put("p", Integer.toString(job.priority()));
        fields.put("l", job.lifo() ? "1" : "0");
        fields.put("m", Integer.toString(job.attempts()));
        fields.put("a", "0");
        fields.put("b", job.backoff());
        fields.put("c", Long.toString(now));
        fields.put("dd", Long.toString(job.dedupeMs()));
        fields.put("sc", "0");
        jobs.put(id, fields);
        if (job.runAt() > now) {
            fields.put("s", "d");
            fields.put("r", Long.toString(job.runAt()));
            delay(id, job.runAt());
        } else {
            fields.put("r", Long.toString(now));
            enqueue(id);
        }
    }

    void enqueue(String id) {
        Map<String, String> job = jobs.get(id);
        int p = Integer.parseInt(job.get("p"));
        long base = (1023L - p) * P43;
        long n = ++seq;
        job.put("s", "w");
        rank(id, "1".equals(job.get("l")) ? base + P42 - n : base + P42 + n);
    }

    void enqueueFront(String id) {
        Map<String, String> job = jobs.get(id);
        job.put("s", "w");
        rank(id, (1023L - Integer.parseInt(job.get("p"))) * P43 + 1);
    }

    private void rank(String id, long score) {
        Ranked ranked = new Ranked(score, id);
        Ranked old = waitIndex.put(id, ranked);
        if (old != null) {
            wait.remove(old);
        }
        wait.add(ranked);
    }

    void delay(String id, long runAt) {
        Ranked ranked = new Ranked(runAt, id);
        Ranked old = delayedIndex.put(id, ranked);
        if (old != null) {
            delayed.remove(old);
        }
        delayed.add(ranked);
    }

    /** Removes {@code id} from every set (not from {@link #jobs}). */
    void unlink(String id) {
        Ranked w = waitIndex.remove(id);
        if (w != null) {
            wait.remove(w);
        }
        Ranked d = delayedIndex.remove(id);
        if (d != null) {
            delayed.remove(d);
        }
        active.remove(id);
        completed.remove(id);
        failed.remove(id);
    }

    int promote(long now) {
        int promoted = 0;
        while (!delayed.isEmpty() && delayed.first().score() <= now && promoted < 1000) {
            Ranked due = delayed.pollFirst();
            delayedIndex.remove(due.id());
            if (jobs.containsKey(due.id())) {
                enqueue(due.id());
            }
            promoted++;
        }
        return promoted;
    }

    void reap(long now, int maxStalls, Retention keep, List<String> stalled, List<String> dead) {
        Iterator<Map.Entry<String, Long>> it = active.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> lease = it.next();
            if (lease.getValue() >= now) {
                continue;
            }
            it.remove();
            String id = lease.getKey();
            Map<String, String> job = jobs.get(id);
            if (job == null) {
                continue;
            }
            int stalls = Integer.parseInt(job.get("sc")) + 1;
            job.put("sc", Integer.toString(stalls));
            job.remove("o");
            if ("1".equals(job.get("x")) || stalls > maxStalls) {
                job.put("s", "f");
                job.put("fin", Long.toString(now));
                job.put("e", "1".equals(job.get("x")) ? "cancelled"
                        : "stalled " + stalls + " times: its worker stopped renewing the lease");
                failed.put(id, now);
                dead.add(id);
            } else {
                enqueueFront(id);
                stalled.add(id);
            }
        }
        if (!dead.isEmpty()) {
            trim(failed, keep, now);
        }
    }

    long nextDue() {
        long due = delayed.isEmpty() ? -1 : delayed.first().score();
        for (long expiry : active.values()) {
            if (due < 0 || expiry + 1 < due) {
                due = expiry + 1;
            }
        }
        return due;
    }

    Leased lease(String id, FetchRequest r) {
        waitIndex.remove(id);
        Map<String, String> job = jobs.get(id);
        long leaseToken = ++token;
        int attempt = Integer.parseInt(job.get("a")) + 1;
        job.put("a", Integer.toString(attempt));
        job.put("s", "a");
        job.put("t", Long.toString(leaseToken));
        job.put("o", r.owner());
        job.put("sa", Long.toString(r.now()));
        active.put(id, r.now() + r.leaseMs());
        return new Leased(id, leaseToken, attempt, Integer.parseInt(job.get("m")), job.get("d"), job.get("b"),
                Long.parseLong(job.get("r")));
    }

    /** The job's fields if {@code token} holds its lease, else null. */
    Map<String, String> owned(String id, long token) {
        Map<String, String> job = jobs.get(id);
        return job != null && "a".equals(job.get("s")) && Long.toString(token).equals(job.get("t")) ? job : null;
    }

    /** Ends {@code job} as failed at {@code now}, with {@code reason} when not null, keeping the failed set to {@code keep}. */
    void markFailed(String id, Map<String, String> job, String reason, long now, Retention keep) {
        job.put("s", "f");
        if (reason != null) {
            job.put("e", reason);
        }
        job.put("fin", Long.toString(now));
        failed.put(id, now);
        trim(failed, keep, now);
    }

        void trim(LinkedHashMap<String, Long> set, Retention keep, long now) {
        Iterator<Map.Entry<String, Long>> it = set.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> oldest = it.next();
            if (set.size() > keep.count() || oldest.getValue() <= now - keep.ageMs()) {
                it.remove();
                jobs.remove(oldest.getKey());
            } else {
                break;
            }
        }
    }
}
