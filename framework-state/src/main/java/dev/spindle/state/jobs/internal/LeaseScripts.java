package dev.spindle.state.jobs.internal;

import dev.spindle.state.internal.Script;

/**
 * The scripts a worker runs on the jobs it leases, in the conventions of {@link JobScripts}. Every
 * one of them is safe to run a second time for the same call (sent again after its reply was lost);
 * each says why.
 */
final class LeaseScripts {

    private LeaseScripts() {}

    /**
     * Promotes, reaps and leases: fetchJobs(a) reads the fetch arguments from ARGV[a] on. A request
     * token (ARGV[a + 10], may be empty) makes a second run of the same request, after its reply was
     * lost, lease the jobs of the first run again (those it still holds, from now) rather than new
     * ones that nobody would start: {@code <prefix>lease:<token>} lists them, id and fencing token,
     * for one lease.
     */
    private static final String FETCH_JOBS = """
            local function again(request, now, lease)
              local held, jobs = redis.call('LRANGE', request, 0, -1), {}
              for i = 1, #held, 2 do
                local id = held[i]
                local f = redis.call('HMGET', jk(id), 's', 't', 'a', 'm', 'd', 'b', 'r')
                if f[1] == 'a' and f[2] == held[i + 1] then
                  redis.call('ZADD', ACTIVE, 'XX', now + lease, id)
                  jobs[#jobs + 1] = {id, tonumber(f[2]), tonumber(f[3]), tonumber(f[4]), f[5], f[6], tonumber(f[7]) or now}
                end
              end
              if #jobs == 0 and #held > 0 then redis.call('DEL', request) end
              return jobs
            end
            local function fetchJobs(a)
            local now, lease, max = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
            local owner = ARGV[a + 3]
            local request = ARGV[a + 10] ~= '' and K .. 'lease:' .. ARGV[a + 10]
            if request then
              local jobs = again(request, now, lease)
              if #jobs > 0 then return {jobs, {}, {}, nextDue()} end
            end
            local rateMax, rateWindow, gc = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6])
            local promoted = promote(now)
            local stalled, dead = reap(now, ARGV[a], tonumber(ARGV[a + 7]), tonumber(ARGV[a + 8]), tonumber(ARGV[a + 9]))
            local jobs = {}
            local due = nextDue()
            if redis.call('HGET', META, 'paused') ~= '1' then
              local n = max
              if gc > 0 then n = math.min(n, gc - redis.call('ZCARD', ACTIVE)) end
              local window, used = 0, 0
              if rateMax > 0 then
                window = math.floor(now / rateWindow)
                local w, c = unpack(redis.call('HMGET', META, 'rw', 'rc'))
                if w and tonumber(w) == window then used = tonumber(c) end
                if used >= rateMax and redis.call('ZCARD', WAIT) > 0 then
                  local open = (window + 1) * rateWindow
                  if due < 0 or open < due then due = open end
                end
                n = math.min(n, rateMax - used)
              end
              if n > 0 then
                local popped = redis.call('ZPOPMIN', WAIT, n)
                local found = {}
                for i = 1, #popped, 2 do
                  local f = redis.call('HMGET', jk(popped[i]), 'm', 'd', 'b', 'r', 'a')
                  if f[1] then found[#found + 1] = {popped[i], f} end
                end
                local taken = #found
                if taken > 0 then
                  local token = redis.call('HINCRBY', META, 'tok', taken) - taken
                  local leases, held = {}, {}
                  for i, job in ipairs(found) do
                    local id, f = job[1], job[2]
                    local made = (tonumber(f[5]) or 0) + 1
                    redis.call('HSET', jk(id), 's', 'a', 't', token + i, 'o', owner, 'sa', now, 'a', made)
                    leases[#leases + 1] = now + lease
                    leases[#leases + 1] = id
                    held[#held + 1] = id
                    held[#held + 1] = token + i
                    jobs[i] = {id, token + i, made, tonumber(f[1]), f[2], f[3], tonumber(f[4]) or now}
                  end
                  many('ZADD', ACTIVE, leases)
                  if request then
                    many('RPUSH', request, held)
                    redis.call('PEXPIRE', request, lease)
                  end
                end
                if rateMax > 0 then redis.call('HSET', META, 'rw', window, 'rc', used + taken) end
                if due < 0 or now + lease + 1 < due then due = now + lease + 1 end
              end
            end
            if (promoted > 0 or #stalled > 0) and redis.call('ZCARD', WAIT) > 0 then
              redis.call('PUBLISH', K .. 'wake', '1')
            end
            return {jobs, stalled, dead, due}
            end
            """;

    /**
     * ARGV: K, now, leaseMs, max, owner, rateMax, rateWindowMs, globalConcurrency, maxStalls, keepCount, keepAge,
     * request token.
     */
    static final Script FETCH = Script.of(JobScripts.COMMON + FETCH_JOBS + """
            return fetchJobs(2)
            """);

    /** ARGV: K, now, maxStalls, keepCount, keepAge. Run twice: the second finds no expired lease left. */
    static final Script REAP = Script.of(JobScripts.COMMON + """
            local now = tonumber(ARGV[2])
            local promoted = promote(now)
            local stalled, dead = reap(now, ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
            if (promoted > 0 or #stalled > 0) and redis.call('ZCARD', WAIT) > 0 then
              redis.call('PUBLISH', K .. 'wake', '1')
            end
            return {{}, stalled, dead, nextDue()}
            """);

    /**
     * ARGV: K, now, keepCount, keepAge, n, then n times id, token, result, then optionally the fetch
     * arguments to lease the next jobs in the same step. Answers {outcome per job, fetched or empty}.
     * Run twice, it answers the same: OK for a job this token completed, and the first run's jobs again.
     */
    static final Script COMPLETE = Script.of(JobScripts.COMMON + FETCH_JOBS + """
            local now, n = tonumber(ARGV[2]), tonumber(ARGV[5])
            local outcomes, ids, done = {}, {}, {}
            for i = 0, n - 1 do
              local b = 6 + i * 3
              local id = ARGV[b]
              local key = jk(id)
              local s, t, dd = unpack(redis.call('HMGET', key, 's', 't', 'dd'))
              if s == 'a' and t == ARGV[b + 1] then
                redis.call('HSET', key, 's', 'c', 'res', ARGV[b + 2], 'fin', now)
                dd = tonumber(dd) or 0
                if dd > 0 then redis.call('ZADD', DEDUPE, now + dd, id) end
                ids[#ids + 1] = id
                done[#done + 1] = now
                done[#done + 1] = id
                outcomes[#outcomes + 1] = 'OK'
              elseif s == 'c' and t == ARGV[b + 1] then
                outcomes[#outcomes + 1] = 'OK' -- completed by a first run of this call, whose reply was lost
              else
                outcomes[#outcomes + 1] = 'LOST'
              end
            end
            if #ids > 0 then
              many('ZREM', ACTIVE, ids)
              many('ZADD', DONE, done)
              trim(DONE, tonumber(ARGV[3]), tonumber(ARGV[4]), now)
            end
            local a = 6 + n * 3
            if #ARGV >= a + 10 then return {outcomes, fetchJobs(a)} end
            return {outcomes, {}}
            """);

    /**
     * ARGV: K, id, token, now, message, stack, retryDelayMs (negative: no retry), keepCount, keepAge. Run
     * twice: the second finds the lease gone and answers LOST, changing nothing.
     */
    static final Script FAIL = Script.of(JobScripts.COMMON + """
            local id, now, delay = ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[7])
            local key = jk(id)
            if not owned(key, ARGV[3]) then return 'LOST' end
            redis.call('ZREM', ACTIVE, id)
            redis.call('HDEL', key, 'o')
            redis.call('HSET', key, 'e', ARGV[5], 'st', ARGV[6])
            local a, m, x = unpack(redis.call('HMGET', key, 'a', 'm', 'x'))
            if delay >= 0 and tonumber(a) < tonumber(m) and x ~= '1' then
              if delay > 0 then
                redis.call('HSET', key, 's', 'd', 'r', now + delay)
                redis.call('ZADD', DELAYED, now + delay, id)
              else
                redis.call('HSET', key, 'r', now)
                enqueue(key, id, now)
              end
              redis.call('PUBLISH', K .. 'wake', '1')
              return 'RETRY'
            end
            redis.call('HSET', key, 's', 'f', 'fin', now)
            redis.call('ZADD', FAILED, now, id)
            trim(FAILED, tonumber(ARGV[8]), tonumber(ARGV[9]), now)
            return 'FAILED'
            """);

    /** ARGV: K, now, leaseMs, then id, token pairs. Answers {lost ids, cancelled ids}. Run twice: the same. */
    static final Script RENEW = Script.of(JobScripts.COMMON + """
            local now, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
            local lost, cancelled = {}, {}
            for i = 4, #ARGV, 2 do
              local id = ARGV[i]
              local key = jk(id)
              local s, t, x = unpack(redis.call('HMGET', key, 's', 't', 'x'))
              if s == 'a' and t == ARGV[i + 1] then
                redis.call('ZADD', ACTIVE, 'XX', now + lease, id)
                if x == '1' then cancelled[#cancelled + 1] = id end
              else
                lost[#lost + 1] = id
              end
            end
            return {lost, cancelled}
            """);

    /** ARGV: K, id, token, progress. Run twice: the same. */
    static final Script PROGRESS = Script.of(JobScripts.COMMON + """
            local key = jk(ARGV[2])
            if not owned(key, ARGV[3]) then return 'LOST' end
            redis.call('HSET', key, 'pg', ARGV[4])
            return 'OK'
            """);

    /** ARGV: K, id, token, now, keepCount, keepAge. Run twice: the second answers LOST, changing nothing. */
    static final Script RELEASE = Script.of(JobScripts.COMMON + """
            local id = ARGV[2]
            local key = jk(id)
            if not owned(key, ARGV[3]) then return 'LOST' end
            redis.call('ZREM', ACTIVE, id)
            redis.call('HDEL', key, 'o')
            if redis.call('HGET', key, 'x') == '1' then
              local now = tonumber(ARGV[4])
              redis.call('HSET', key, 's', 'f', 'e', 'cancelled', 'fin', now)
              redis.call('ZADD', FAILED, now, id)
              trim(FAILED, tonumber(ARGV[5]), tonumber(ARGV[6]), now)
              return 'FAILED'
            end
            redis.call('HINCRBY', key, 'a', -1)
            redis.call('HSET', key, 's', 'w')
            redis.call('ZADD', WAIT, front(redis.call('HGET', key, 'p')), id)
            redis.call('PUBLISH', K .. 'wake', '1')
            return 'OK'
            """);
}
