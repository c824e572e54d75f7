package dev.spindle.state.jobs.internal;

import dev.spindle.core.Deadline;
import dev.spindle.state.RedisConnection;
import dev.spindle.state.internal.LettuceConnection;
import dev.spindle.state.internal.Script;
import dev.spindle.state.jobs.JobCounts;
import dev.spindle.state.jobs.JobInfo;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The job store on Redis: each operation is one script of {@link JobScripts}, on the shared connection. */
public final class RedisJobStore implements JobStore {

    private final LettuceConnection redis;
    private final RedisWakeups wakeups;
    private final Map<String, String[]> keys = new ConcurrentHashMap<>();

    private RedisJobStore(LettuceConnection redis) {
        this.redis = redis;
        this.wakeups = new RedisWakeups(redis);
    }

    public static RedisJobStore of(RedisConnection redis) {
        return new RedisJobStore(LettuceConnection.of(redis));
    }

    /** The key prefix of a queue: every key of it hashes to the slot of {@code {name}}. */
    String prefix(String queue) {
        return redis.key("jobs:{" + queue + "}:");
    }

    private String[] keys(String queue) {
        return keys.computeIfAbsent(queue, q -> {
            String k = prefix(q);
            return new String[] {k + "wait", k + "delayed", k + "active", k + "meta", k + "completed", k + "failed",
                    k + "dedupe", k + "sched"};
        });
    }

    private <T> CompletionStage<T> run(String queue, Script script, ScriptOutputType type, String... args) {
        return redis.script(Deadline.none(), script, type, keys(queue), args);
    }

    private static String[] args(String queue, String prefix, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = prefix;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static void addRecord(List<String> args, NewRecord job) {
        args.add(job.id() == null ? "" : job.id());
        args.add(job.data());
        args.add(Integer.toString(job.priority()));
        args.add(job.lifo() ? "1" : "0");
        args.add(Integer.toString(job.attempts()));
        args.add(job.backoff());
        args.add(Long.toString(job.runAt()));
        args.add(Long.toString(job.dedupeMs()));
    }

    @Override
    public CompletionStage<List<String>> add(String queue, List<NewRecord> jobs, long now) {
        List<String> rest = new ArrayList<>(2 + jobs.size() * 8);
        rest.add(Long.toString(now));
        rest.add(Integer.toString(jobs.size()));
        jobs.forEach(job -> addRecord(rest, job));
        return this.<List<Object>>run(queue, JobScripts.ADD, ScriptOutputType.MULTI, args(queue, prefix(queue), rest))
                .thenApply(ids -> ids.stream().map(String::valueOf).toList());
    }

    @Override
    public CompletionStage<Fetched> fetch(String queue, FetchRequest r) {
        List<String> rest = new ArrayList<>(11);
        fetchArgs(rest, r);
        return this.<List<Object>>run(queue, LeaseScripts.FETCH, ScriptOutputType.MULTI, args(queue, prefix(queue), rest))
                .thenApply(RedisJobStore::fetched);
    }

    @SuppressWarnings("unchecked")
    private static Fetched fetched(List<Object> reply) {
        List<Leased> jobs = new ArrayList<>();
        for (Object entry : (List<Object>) reply.get(0)) {
            List<Object> f = (List<Object>) entry;
            jobs.add(new Leased((String) f.get(0), (Long) f.get(1), ((Long) f.get(2)).intValue(),
                    ((Long) f.get(3)).intValue(), (String) f.get(4), (String) f.get(5), (Long) f.get(6)));
        }
        return new Fetched(jobs, strings(reply.get(1)), strings(reply.get(2)), (Long) reply.get(3));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return ((List<Object>) list).stream().map(String::valueOf).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Completed> complete(String queue, List<Done> done, long now, Retention completed,
                                               FetchRequest next) {
        List<String> rest = new ArrayList<>(15 + done.size() * 3);
        rest.add(Long.toString(now));
        rest.add(Integer.toString(completed.count()));
        rest.add(Long.toString(completed.ageMs()));
        rest.add(Integer.toString(done.size()));
        for (Done job : done) {
            rest.add(job.id());
            rest.add(Long.toString(job.token()));
            rest.add(job.result());
        }
        if (next != null) {
            fetchArgs(rest, next);
        }
        return this.<List<Object>>run(queue, LeaseScripts.COMPLETE, ScriptOutputType.MULTI,
                args(queue, prefix(queue), rest)).thenApply(reply -> {
                    List<Object> codes = (List<Object>) reply.get(0);
                    List<Outcome> outcomes = new ArrayList<>(codes.size());
                    for (Object code : codes) {
                        outcomes.add("OK".equals(code) ? Outcome.OK : Outcome.LOST);
                    }
                    List<Object> fetched = (List<Object>) reply.get(1);
                    return new Completed(outcomes, fetched.isEmpty() ? Fetched.NOTHING : fetched(fetched));
                });
    }

    private static void fetchArgs(List<String> args, FetchRequest r) {
        args.addAll(List.of(Long.toString(r.now()), Long.toString(r.leaseMs()), Integer.toString(r.max()), r.owner(),
                Integer.toString(r.rateMax()), Long.toString(r.rateWindowMs()), Integer.toString(r.globalConcurrency()),
                Integer.toString(r.maxStalls()), Integer.toString(r.failed().count()),
                Long.toString(r.failed().ageMs()), r.request()));
    }

    @Override
    public CompletionStage<Outcome> fail(String queue, String id, long token, long now, String message, String stack,
                                         long retryDelayMs, Retention failed) {
        return this.<String>run(queue, LeaseScripts.FAIL, ScriptOutputType.VALUE, prefix(queue), id,
                Long.toString(token), Long.toString(now), message, stack, Long.toString(retryDelayMs),
                Integer.toString(failed.count()), Long.toString(failed.ageMs())).thenApply(Outcome::valueOf);
    }

    @Override
    public CompletionStage<Renewal> renew(String queue, Map<String, Long> leases, long now, long leaseMs) {
        List<String> rest = new ArrayList<>(2 + leases.size() * 2);
        rest.add(Long.toString(now));
        rest.add(Long.toString(leaseMs));
        leases.forEach((id, token) -> {
            rest.add(id);
            rest.add(Long.toString(token));
        });
        return this.<List<Object>>run(queue, LeaseScripts.RENEW, ScriptOutputType.MULTI, args(queue, prefix(queue), rest))
                .thenApply(reply -> new Renewal(strings(reply.get(0)), strings(reply.get(1))));
    }

    @Override
    public CompletionStage<Outcome> progress(String queue, String id, long token, String progress) {
        return this.<String>run(queue, LeaseScripts.PROGRESS, ScriptOutputType.VALUE, prefix(queue), id,
                Long.toString(token), progress).thenApply(Outcome::valueOf);
    }

    @Override
    public CompletionStage<Outcome> release(String queue, String id, long token, long now, Retention failed) {
        return this.<String>run(queue, LeaseScripts.RELEASE, ScriptOutputType.VALUE, prefix(queue), id,
                Long.toString(token), Long.toString(now), Integer.toString(failed.count()),
                Long.toString(failed.ageMs())).thenApply(Outcome::valueOf);
    }

    @Override
    public CompletionStage<Fetched> reap(String queue, long now, int maxStalls, Retention failed) {
        return this.<List<Object>>run(queue, LeaseScripts.REAP, ScriptOutputType.MULTI, prefix(queue),
                Long.toString(now), Integer.toString(maxStalls), Integer.toString(failed.count()),
                Long.toString(failed.ageMs())).thenApply(RedisJobStore::fetched);
    }

    @Override
    public CompletionStage<Optional<JobInfo>> info(String queue, String id) {
        return this.<List<Object>>run(queue, JobScripts.INFO, ScriptOutputType.MULTI, prefix(queue), id)
                .thenApply(fields -> fields.isEmpty() ? Optional.empty()
                        : Optional.of(JobFields.info(queue, id, pairs(fields))));
    }

    private static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    @Override
    public CompletionStage<JobCounts> counts(String queue) {
        return this.<List<Object>>run(queue, JobScripts.COUNTS, ScriptOutputType.MULTI, prefix(queue))
                .thenApply(c -> new JobCounts((Long) c.get(0), (Long) c.get(1), (Long) c.get(2), (Long) c.get(3),
                        (Long) c.get(4), (Long) c.get(5) == 1L));
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<List<JobInfo>> failed(String queue, int offset, int limit) {
        return this.<List<Object>>run(queue, JobScripts.FAILED_LIST, ScriptOutputType.MULTI, prefix(queue),
                Integer.toString(offset), Integer.toString(offset + limit - 1))
                .thenApply(rows -> rows.stream().map(row -> {
                    List<Object> r = (List<Object>) row;
                    return JobFields.info(queue, (String) r.get(0), pairs((List<Object>) r.get(1)));
                }).toList());
    }

    @Override
    public CompletionStage<Boolean> retry(String queue, String id, long now) {
        return this.<Long>run(queue, JobScripts.RETRY, ScriptOutputType.INTEGER, prefix(queue), id,
                Long.toString(now)).thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Boolean> remove(String queue, String id) {
        return this.<Long>run(queue, JobScripts.REMOVE, ScriptOutputType.INTEGER, prefix(queue), id)
                .thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Cancel> cancel(String queue, String id, long now, Retention failed) {
        return this.<String>run(queue, JobScripts.CANCEL, ScriptOutputType.VALUE, prefix(queue), id,
                Long.toString(now), Integer.toString(failed.count()), Long.toString(failed.ageMs()))
                .thenApply(Cancel::valueOf);
    }

    @Override
    public CompletionStage<Void> pause(String queue, boolean paused) {
        return this.<String>run(queue, JobScripts.PAUSE, ScriptOutputType.VALUE, prefix(queue), paused ? "1" : "0")
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Boolean> fire(String queue, String name, long fireTime, boolean enqueue, NewRecord job,
                                         long now) {
        List<String> rest = new ArrayList<>(12);
        rest.add(Long.toString(now));
        rest.add(name);
        rest.add(Long.toString(fireTime));
        rest.add(enqueue ? "1" : "0");
        addRecord(rest, job);
        return this.<Long>run(queue, JobScripts.FIRE, ScriptOutputType.INTEGER, args(queue, prefix(queue), rest))
                .thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Long> lastFire(String queue, String name) {
        String sched = keys(queue)[7];
        return redis.<String>call(Deadline.none(), c -> c.hget(sched, name))
                .thenApply(value -> value == null ? -1L : Long.parseLong(value));
    }

    @Override
    public AutoCloseable onWake(String queue, Runnable wake) {
        return wakeups.listen(prefix(queue) + "wake", wake);
    }

    @Override
    public void close() {
        wakeups.close();
    }
}
