package dev.spindle.state.jobs.internal;

import dev.spindle.state.jobs.JobCounts;
import dev.spindle.state.jobs.JobInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory twin of {@link RedisJobStore}: the same steps as the scripts, each under the
 * queue's monitor (short and non-blocking), over the same fields, so the two behave alike.
 */
public final class MemoryJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(MemoryJobStore.class);

    private final Map<String, MemoryQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> wakes = new ConcurrentHashMap<>();

    private MemoryQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new MemoryQueue());
    }

    private void wake(String queue, boolean woke) {
        if (woke) {
            List<Runnable> list = wakes.get(queue);
            if (list != null) {
                for (Runnable wake : list) {
                    try {
                        wake.run();
                    } catch (RuntimeException e) {
                        log.warn("A job wake-up listener failed", e);
                    }
                }
            }
        }
    }

    @Override
    public CompletionStage<List<String>> add(String queue, List<NewRecord> jobs, long now) {
        MemoryQueue q = queue(queue);
        List<String> ids = new ArrayList<>(jobs.size());
        boolean woke = false;
        synchronized (q) {
            q.dedupe.values().removeIf(expires -> expires <= now);
            for (NewRecord job : jobs) {
                String id = job.id();
                if (id == null) {
                    do {
                        id = Long.toString(++q.ids);
                    } while (q.jobs.containsKey(id));
                } else if (q.jobs.containsKey(id) || q.dedupe.containsKey(id)) {
                    ids.add(id);
                    continue;
                }
                q.add(id, job, now);
                ids.add(id);
                woke = true;
            }
        }
        wake(queue, woke);
        return CompletableFuture.completedFuture(ids);
    }

    @Override
    public CompletionStage<Fetched> fetch(String queue, FetchRequest r) {
        MemoryQueue q = queue(queue);
        Fetched fetched;
        boolean woke;
        synchronized (q) {
            int promoted = q.promote(r.now());
            List<String> stalled = new ArrayList<>();
            List<String> dead = new ArrayList<>();
            q.reap(r.now(), r.maxStalls(), r.failed(), stalled, dead);
            long due = q.nextDue();
            List<Leased> jobs = new ArrayList<>();
            if (!q.paused) {
                int n = r.max();
                if (r.globalConcurrency() > 0) {
                    n = Math.min(n, r.globalConcurrency() - q.active.size());
                }
                long window = 0;
                long used = 0;
                if (r.rateMax() > 0) {
                    window = Math.floorDiv(r.now(), r.rateWindowMs());
                    used = q.rateWindow == window ? q.rateCount : 0;
                    if (used >= r.rateMax() && !q.wait.isEmpty()) {
                        long open = (window + 1) * r.rateWindowMs();
                        due = due < 0 ? open : Math.min(due, open);
                    }
                    n = (int) Math.min(n, r.rateMax() - used);
                }
                for (int i = 0; i < n && !q.wait.isEmpty(); i++) {
                    jobs.add(q.lease(q.wait.pollFirst().id(), r));
                }
                if (r.rateMax() > 0 && n > 0) {
                    q.rateWindow = window;
                    q.rateCount = used + jobs.size();
                }
            }
            fetched = new Fetched(jobs, stalled, dead, due);
            woke = (promoted > 0 || !stalled.isEmpty()) && !q.wait.isEmpty();
        }
        wake(queue, woke);
        return CompletableFuture.completedFuture(fetched);
    }

    @Override
    public CompletionStage<Completed> complete(String queue, List<Done> done, long now, Retention completed,
                                               FetchRequest next) {
        MemoryQueue q = queue(queue);
        List<Outcome> outcomes = new ArrayList<>(done.size());
        synchronized (q) {
            boolean any = false;
            for (Done finished : done) {
                Map<String, String> job = q.owned(finished.id(), finished.token());
                if (job == null) {
                    outcomes.add(Outcome.LOST);
                    continue;
                }
                q.active.remove(finished.id());
                job.put("s", "c");
                job.put("res", finished.result());
                job.put("fin", Long.toString(now));
                long dedupe = Long.parseLong(job.getOrDefault("dd", "0"));
                if (dedupe > 0) {
                    q.dedupe.put(finished.id(), now + dedupe);
                }
                q.completed.put(finished.id(), now);
                outcomes.add(Outcome.OK);
                any = true;
            }
            if (any) {
                q.trim(q.completed, completed, now);
            }
        }
        if (next == null) {
            return CompletableFuture.completedFuture(new Completed(outcomes, Fetched.NOTHING));
        }
        return fetch(queue, next).thenApply(fetched -> new Completed(outcomes, fetched));
    }

    @Override
    public CompletionStage<Outcome> fail(String queue, String id, long token, long now, String message, String stack,
                                         long retryDelayMs, Retention failed) {
        MemoryQueue q = queue(queue);
        Outcome outcome;
        synchronized (q) {
            Map<String, String> job = q.owned(id, token);
            if (job == null) {
                return CompletableFuture.completedFuture(Outcome.LOST);
            }
            q.active.remove(id);
            job.remove("o");
            job.put("e", message);
            job.put("st", stack);
            if (retryDelayMs >= 0 && Integer.parseInt(job.get("a")) < Integer.parseInt(job.get("m"))
                    && !"1".equals(job.get("x"))) {
                if (retryDelayMs > 0) {
                    job.put("s", "d");
                    job.put("r", Long.toString(now + retryDelayMs));
                    q.delay(id, now + retryDelayMs);
                } else {
                    job.put("r", Long.toString(now));
                    q.enqueue(id);
                }
                outcome = Outcome.RETRY;
            } else {
                q.markFailed(id, job, null, now, failed);
                outcome = Outcome.FAILED;
            }
        }
        wake(queue, outcome == Outcome.RETRY);
        return CompletableFuture.completedFuture(outcome);
    }

    @Override
    public CompletionStage<Renewal> renew(String queue, Map<String, Long> leases, long now, long leaseMs) {
        MemoryQueue q = queue(queue);
        List<String> lost = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        synchronized (q) {
            leases.forEach((id, token) -> {
                Map<String, String> job = q.owned(id, token);
                if (job == null) {
                    lost.add(id);
                } else {
                    q.active.put(id, now + leaseMs);
                    if ("1".equals(job.get("x"))) {
                        cancelled.add(id);
                    }
                }
            });
        }
        return CompletableFuture.completedFuture(new Renewal(lost, cancelled));
    }

    @Override
    public CompletionStage<Outcome> progress(String queue, String id, long token, String progress) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.owned(id, token);
            if (job == null) {
                return CompletableFuture.completedFuture(Outcome.LOST);
            }
            job.put("pg", progress);
        }
        return CompletableFuture.completedFuture(Outcome.OK);
    }

    @Override
    public CompletionStage<Outcome> release(String queue, String id, long token, long now, Retention failed) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.owned(id, token);
            if (job == null) {
                return CompletableFuture.completedFuture(Outcome.LOST);
            }
            q.active.remove(id);
            job.remove("o");
            if ("1".equals(job.get("x"))) {
                q.markFailed(id, job, "cancelled", now, failed);
                return CompletableFuture.completedFuture(Outcome.FAILED);
            }
            job.put("a", Integer.toString(Integer.parseInt(job.get("a")) - 1));
            q.enqueueFront(id);
        }
        wake(queue, true);
        return CompletableFuture.completedFuture(Outcome.OK);
    }

    @Override
    public CompletionStage<Fetched> reap(String queue, long now, int maxStalls, Retention failed) {
        MemoryQueue q = queue(queue);
        Fetched fetched;
        boolean woke;
        synchronized (q) {
            int promoted = q.promote(now);
            List<String> stalled = new ArrayList<>();
            List<String> dead = new ArrayList<>();
            q.reap(now, maxStalls, failed, stalled, dead);
            fetched = new Fetched(List.of(), stalled, dead, q.nextDue());
            woke = (promoted > 0 || !stalled.isEmpty()) && !q.wait.isEmpty();
        }
        wake(queue, woke);
        return CompletableFuture.completedFuture(fetched);
    }

    @Override
    public CompletionStage<Optional<JobInfo>> info(String queue, String id) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.jobs.get(id);
            return CompletableFuture.completedFuture(job == null ? Optional.empty()
                    : Optional.of(JobFields.info(queue, id, new HashMap<>(job))));
        }
    }

    @Override
    public CompletionStage<JobCounts> counts(String queue) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            return CompletableFuture.completedFuture(new JobCounts(q.wait.size(), q.delayed.size(), q.active.size(),
                    q.completed.size(), q.failed.size(), q.paused));
        }
    }

    @Override
    public CompletionStage<List<JobInfo>> failed(String queue, int offset, int limit) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            List<JobInfo> out = new ArrayList<>();
            q.failed.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(
                            java.util.Comparator.reverseOrder())))
                    .skip(offset).limit(limit)
                    .forEach(e -> out.add(JobFields.info(queue, e.getKey(), new HashMap<>(q.jobs.get(e.getKey())))));
            return CompletableFuture.completedFuture(out);
        }
    }

    @Override
    public CompletionStage<Boolean> retry(String queue, String id, long now) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.jobs.get(id);
            if (job == null || !"f".equals(job.get("s"))) {
                return CompletableFuture.completedFuture(false);
            }
            q.failed.remove(id);
            for (String field : new String[] {"e", "st", "fin", "x", "res"}) {
                job.remove(field);
            }
            job.put("a", "0");
            job.put("sc", "0");
            job.put("r", Long.toString(now));
            q.enqueue(id);
        }
        wake(queue, true);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> remove(String queue, String id) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.jobs.get(id);
            if (job == null || "a".equals(job.get("s"))) {
                return CompletableFuture.completedFuture(false);
            }
            q.unlink(id);
            q.jobs.remove(id);
            return CompletableFuture.completedFuture(true);
        }
    }

    @Override
    public CompletionStage<Cancel> cancel(String queue, String id, long now, Retention failed) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            Map<String, String> job = q.jobs.get(id);
            if (job == null) {
                return CompletableFuture.completedFuture(Cancel.MISSING);
            }
            String s = job.get("s");
            if ("c".equals(s) || "f".equals(s)) {
                return CompletableFuture.completedFuture(Cancel.FINISHED);
            }
            if ("a".equals(s)) {
                job.put("x", "1");
                return CompletableFuture.completedFuture(Cancel.ACTIVE);
            }
            q.unlink(id);
            q.markFailed(id, job, "cancelled", now, failed);
            return CompletableFuture.completedFuture(Cancel.DONE);
        }
    }

    @Override
    public CompletionStage<Void> pause(String queue, boolean paused) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            q.paused = paused;
        }
        wake(queue, !paused);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> fire(String queue, String name, long fireTime, boolean enqueue, NewRecord job,
                                         long now) {
        MemoryQueue q = queue(queue);
        boolean added = false;
        synchronized (q) {
            Long last = q.fired.get(name);
            if (last != null && last >= fireTime) {
                return CompletableFuture.completedFuture(false);
            }
            q.fired.put(name, fireTime);
            if (enqueue && !q.jobs.containsKey(job.id()) && !q.dedupe.containsKey(job.id())) {
                q.add(job.id(), job, now);
                added = true;
            }
        }
        wake(queue, added);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Long> lastFire(String queue, String name) {
        MemoryQueue q = queue(queue);
        synchronized (q) {
            return CompletableFuture.completedFuture(q.fired.getOrDefault(name, -1L));
        }
    }

    @Override
    public AutoCloseable onWake(String queue, Runnable wake) {
        List<Runnable> list = wakes.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
        list.add(wake);
        return () -> list.remove(wake);
    }

    @Override
    public void close() {
        // Shared by the in-memory "instances" of a test: each worker removes its own wake-up listener.
    }
}
