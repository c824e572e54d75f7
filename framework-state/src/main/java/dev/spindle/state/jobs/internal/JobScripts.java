package dev.spindle.state.jobs.internal;

import dev.spindle.state.internal.Script;

/**
 * The Lua scripts of the Redis store: every state change of a job is one of them or of
 * {@link LeaseScripts}, run with {@code EVALSHA}. KEYS are a queue's sets, all in the queue's hash slot ({@code {name}}); job
 * hashes ({@code <prefix>job:<id>}) share that slot too. ARGV[1] is the queue's key prefix.
 *
 * <p>A job hash holds: d data, s state (w d a c f), p priority, l lifo, m max attempts, a attempts
 * made, b backoff, c created, r ready-at, t fencing token, o owner (of the last lease), sa started-at, sc stalls,
 * pg progress, res result, e error, st stack, fin finished-at, dd dedupe window, x cancel asked.
 */
final class JobScripts {

    private JobScripts() {}

    /** The keys, helpers and steps that the scripts share. */
    static final String COMMON = """
            local K = ARGV[1]
            local WAIT, DELAYED, ACTIVE, META, DONE, FAILED, DEDUPE, SCHED =
                KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
            local P43, P42 = 8796093022208, 4398046511104
            local function jk(id) return K .. 'job:' .. id end
            local function score(p, lifo, seq)
              local base = (1023 - p) * P43
              if lifo == '1' then return base + P42 - seq end
              return base + P42 + seq
            end
            local function front(p) return (1023 - (tonumber(p) or 0)) * P43 + 1 end
            local function enqueue(key, id, now)
              local p, l = unpack(redis.call('HMGET', key, 'p', 'l'))
              local seq = redis.call('HINCRBY', META, 'seq', 1)
              redis.call('HSET', key, 's', 'w')
              redis.call('ZADD', WAIT, score(tonumber(p) or 0, l, seq), id)
            end
            local function trim(set, count, age, now)
              if age >= 0 then
                local old = redis.call('ZRANGEBYSCORE', set, '-inf', now - age, 'LIMIT', 0, 1000)
                for _, id in ipairs(old) do redis.call('DEL', jk(id)) end
                if #old > 0 then redis.call('ZREM', set, unpack(old)) end
              end
              local extra = redis.call('ZCARD', set) - count
              if extra > 0 then
                local ids = redis.call('ZRANGE', set, 0, math.min(extra, 1000) - 1)
                for _, id in ipairs(ids) do redis.call('DEL', jk(id)) end
                redis.call('ZREM', set, unpack(ids))
              end
            end
            local function addOne(b, now)
              local id = ARGV[b]
              if id == '' then
                repeat
                  id = tostring(redis.call('HINCRBY', META, 'id', 1))
                until redis.call('EXISTS', jk(id)) == 0
              elseif redis.call('EXISTS', jk(id)) == 1 or redis.call('ZSCORE', DEDUPE, id) then
                return id, false
              end
              local key = jk(id)
              local runAt = tonumber(ARGV[b + 6])
              if runAt > now then
                redis.call('HSET', key, 'd', ARGV[b + 1], 'p', ARGV[b + 2], 'l', ARGV[b + 3], 'm', ARGV[b + 4],
                  'a', 0, 'b', ARGV[b + 5], 'c', now, 'dd', ARGV[b + 7], 'sc', 0, 's', 'd', 'r', runAt)
                redis.call('ZADD', DELAYED, runAt, id)
              else
                local seq = redis.call('HINCRBY', META, 'seq', 1)
                redis.call('HSET', key, 'd', ARGV[b + 1], 'p', ARGV[b + 2], 'l', ARGV[b + 3], 'm', ARGV[b + 4],
                  'a', 0, 'b', ARGV[b + 5], 'c', now, 'dd', ARGV[b + 7], 'sc', 0, 's', 'w', 'r', now)
                redis.call('ZADD', WAIT, score(tonumber(ARGV[b + 2]), ARGV[b + 3], seq), id)
              end
              return id, true
            end
            local function promote(now)
              local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'LIMIT', 0, 1000)
              for _, id in ipairs(due) do
                local key = jk(id)
                if redis.call('EXISTS', key) == 1 then enqueue(key, id, now) end
              end
              if #due > 0 then redis.call('ZREM', DELAYED, unpack(due)) end
              return #due
            end
            local function reap(now, nowArg, maxStalls, keepCount, keepAge)
              local stalled, dead = {}, {}
              local expired = redis.call('ZRANGEBYSCORE', ACTIVE, '-inf', '(' .. nowArg, 'LIMIT', 0, 1000)
              for _, id in ipairs(expired) do
                local key = jk(id)
                redis.call('ZREM', ACTIVE, id)
                if redis.call('EXISTS', key) == 1 then
                  local sc = redis.call('HINCRBY', key, 'sc', 1)
                  redis.call('HDEL', key, 'o')
                  if redis.call('HGET', key, 'x') == '1' then
                    redis.call('HSET', key, 's', 'f', 'fin', now, 'e', 'cancelled')
                    redis.call('ZADD', FAILED, now, id)
                    dead[#dead + 1] = id
                  elseif sc > maxStalls then
                    redis.call('HSET', key, 's', 'f', 'fin', now,
                      'e', 'stalled ' .. sc .. ' times: its worker stopped renewing the lease')
                    redis.call('ZADD', FAILED, now, id)
                    dead[#dead + 1] = id
                  else
                    redis.call('HSET', key, 's', 'w')
                    redis.call('ZADD', WAIT, front(redis.call('HGET', key, 'p')), id)
                    stalled[#stalled + 1] = id
                  end
                end
              end
              if #dead > 0 then trim(FAILED, keepCount, keepAge, now) end
              return stalled, dead
            end
            local function nextDue()
              local due = -1
              local d = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
              if d[2] then due = tonumber(d[2]) end
              local a = redis.call('ZRANGE', ACTIVE, 0, 0, 'WITHSCORES')
              if a[2] and (due < 0 or tonumber(a[2]) + 1 < due) then due = tonumber(a[2]) + 1 end
              return due
            end
            local function many(command, key, args)
              for i = 1, #args, 1000 do
                redis.call(command, key, unpack(args, i, math.min(i + 999, #args)))
              end
            end
            local function owned(key, token)
              local s, t = unpack(redis.call('HMGET', key, 's', 't'))
              return s == 'a' and t == token
            end
            """;

    /**
     * ARGV: K, now, count, then per job: id, data, priority, lifo, attempts, backoff, runAt, dedupeMs. Run
     * twice, a job without an id is added twice: nothing sends it twice (the client fails a command whose
     * reply was lost rather than re-sending it), and a job with an id is added once.
     */
    static final Script ADD = Script.of(COMMON + """
            local now = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', DEDUPE, '-inf', now)
            local ids, woke = {}, false
            for i = 0, tonumber(ARGV[3]) - 1 do
              local id, added = addOne(4 + i * 8, now)
              ids[#ids + 1] = id
              woke = woke or added
            end
            if woke then redis.call('PUBLISH', K .. 'wake', '1') end
            return ids
            """);

    /** ARGV: K, id. Answers the job's fields, flat, or an empty list. */
    static final Script INFO = Script.of(COMMON + """
            return redis.call('HGETALL', jk(ARGV[2]))
            """);

    /** ARGV: K. */
    static final Script COUNTS = Script.of(COMMON + """
            return {redis.call('ZCARD', WAIT), redis.call('ZCARD', DELAYED), redis.call('ZCARD', ACTIVE),
              redis.call('ZCARD', DONE), redis.call('ZCARD', FAILED), redis.call('HGET', META, 'paused') == '1' and 1 or 0}
            """);

    /** ARGV: K, start, stop. Answers {id, fields...} per failed job, newest first. */
    static final Script FAILED_LIST = Script.of(COMMON + """
            local out = {}
            for _, id in ipairs(redis.call('ZREVRANGE', FAILED, ARGV[2], ARGV[3])) do
              out[#out + 1] = {id, redis.call('HGETALL', jk(id))}
            end
            return out
            """);

    /** ARGV: K, id, now. Run twice: the second finds the job waiting and answers 0. */
    static final Script RETRY = Script.of(COMMON + """
            local id = ARGV[2]
            local key = jk(id)
            if redis.call('HGET', key, 's') ~= 'f' then return 0 end
            redis.call('ZREM', FAILED, id)
            redis.call('HDEL', key, 'e', 'st', 'fin', 'x', 'res')
            redis.call('HSET', key, 'a', 0, 'sc', 0, 'r', ARGV[3])
            enqueue(key, id, tonumber(ARGV[3]))
            redis.call('PUBLISH', K .. 'wake', '1')
            return 1
            """);

    /** ARGV: K, id. Run twice: the second finds no job. */
    static final Script REMOVE = Script.of(COMMON + """
            local id = ARGV[2]
            local key = jk(id)
            local s = redis.call('HGET', key, 's')
            if not s or s == 'a' then return 0 end
            redis.call('ZREM', WAIT, id)
            redis.call('ZREM', DELAYED, id)
            redis.call('ZREM', DONE, id)
            redis.call('ZREM', FAILED, id)
            redis.call('DEL', key)
            return 1
            """);

    /** ARGV: K, id, now, keepCount, keepAge. Run twice: the second finds it cancelled, changing nothing. */
    static final Script CANCEL = Script.of(COMMON + """
            local id, now = ARGV[2], tonumber(ARGV[3])
            local key = jk(id)
            local s = redis.call('HGET', key, 's')
            if not s then return 'MISSING' end
            if s == 'c' or s == 'f' then return 'FINISHED' end
            if s == 'a' then
              redis.call('HSET', key, 'x', '1')
              return 'ACTIVE'
            end
            redis.call('ZREM', WAIT, id)
            redis.call('ZREM', DELAYED, id)
            redis.call('HSET', key, 's', 'f', 'e', 'cancelled', 'fin', now)
            redis.call('ZADD', FAILED, now, id)
            trim(FAILED, tonumber(ARGV[4]), tonumber(ARGV[5]), now)
            return 'DONE'
            """);

    /** ARGV: K, '1' or '0'. Run twice: the same. */
    static final Script PAUSE = Script.of(COMMON + """
            redis.call('HSET', META, 'paused', ARGV[2])
            if ARGV[2] == '0' then redis.call('PUBLISH', K .. 'wake', '1') end
            return 'OK'
            """);

    /** ARGV: K, now, name, fireTime, enqueue ('1' or '0'), then one job as in ADD. Run twice: the second is a no-op. */
    static final Script FIRE = Script.of(COMMON + """
            local now, fire = tonumber(ARGV[2]), tonumber(ARGV[4])
            local last = tonumber(redis.call('HGET', SCHED, ARGV[3]))
            if last and last >= fire then return 0 end
            redis.call('HSET', SCHED, ARGV[3], ARGV[4])
            if ARGV[5] == '1' then
              local id, added = addOne(6, now)
              if added then redis.call('PUBLISH', K .. 'wake', '1') end
            end
            return 1
            """);
}
