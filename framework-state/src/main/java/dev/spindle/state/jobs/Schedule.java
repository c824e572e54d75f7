package dev.spindle.state.jobs;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a scheduler fires: a cron expression in a time zone (parsed by cron-utils, checked when
 * built) or a fixed rate; and what happens to fire times missed while no instance ran
 * ({@link Misfire}). Each fire time is enqueued once, however many instances run.
 *
 * <pre>{@code
 * Schedule.cron("0 * * * *")                                        // hourly, UTC, Unix syntax
 * Schedule.cron("30 2 * * MON-FRI", ZoneId.of("Europe/Paris"))      // 02:30 Paris time on weekdays
 * Schedule.fixedRate(Duration.ofMinutes(5)).misfire(Misfire.RUN_ONCE)
 * }</pre>
 */
public final class Schedule {

    /** What to do with fire times missed while no instance was running. */
    public enum Misfire {
        /** Forget them; fire at the next fire time. */
        SKIP,
        /** Fire once now for all of them, then go on as scheduled. */
        RUN_ONCE
    }

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SPRING =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String spec;
    private final Optional<ExecutionTime> cron;
    private final Duration rate;
    private final ZoneId zone;
    private final Misfire misfire;
    private final Duration misfireThreshold;

    private Schedule(String spec, Optional<ExecutionTime> cron, Duration rate, ZoneId zone, Misfire misfire,
                     Duration misfireThreshold) {
        this.spec = spec;
        this.cron = cron;
        this.rate = rate;
        this.zone = zone;
        this.misfire = misfire;
        this.misfireThreshold = misfireThreshold;
    }

    /** A Unix cron expression (minute hour day-of-month month day-of-week) in UTC. */
    public static Schedule cron(String expression) {
        return cron(expression, ZoneOffset.UTC);
    }

    /** A Unix cron expression in {@code zone} (daylight-saving changes follow the zone's rules). */
    public static Schedule cron(String expression, ZoneId zone) {
        return cron(UNIX, expression, zone);
    }

    /** A cron expression with seconds first (Spring's six fields), in {@code zone}. */
    public static Schedule cronWithSeconds(String expression, ZoneId zone) {
        return cron(SPRING, expression, zone);
    }

    private static Schedule cron(CronParser parser, String expression, ZoneId zone) {
        requireNonNull(expression, "expression");
        requireNonNull(zone, "zone");
        Cron parsed;
        try {
            parsed = parser.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron: '" + expression + "' (" + e.getMessage() + ")", e);
        }
        return new Schedule("cron:" + parsed.asString() + "@" + zone.getId(), Optional.of(ExecutionTime.forCron(parsed)),
                Duration.ZERO, zone, Misfire.SKIP, Duration.ofSeconds(30));
    }

    /** Every {@code period} (at least a millisecond), on multiples of it since the epoch. */
    public static Schedule fixedRate(Duration period) {
        requireNonNull(period, "period");
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("period: " + period + " (expected: >= 1 ms)");
        }
        return new Schedule("rate:" + period.toMillis(), Optional.empty(), period, ZoneOffset.UTC, Misfire.SKIP,
                Duration.ofSeconds(30));
    }

    /** What to do with missed fire times ({@link Misfire#SKIP} by default). */
    public Schedule misfire(Misfire policy) {
        return new Schedule(spec, cron, rate, zone, requireNonNull(policy, "policy"), misfireThreshold);
    }

    /**
     * How late a fire time may be handled and still count as on time rather than missed
     * (30 s by default): a busy instance firing a little late is not a misfire.
     */
    public Schedule misfireThreshold(Duration threshold) {
        requireNonNull(threshold, "threshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("threshold: " + threshold + " (expected: >= 0)");
        }
        return new Schedule(spec, cron, rate, zone, misfire, threshold);
    }

    /** The first fire time strictly after {@code after}. */
    public Instant next(Instant after) {
        requireNonNull(after, "after");
        if (cron.isPresent()) {
            return cron.get().nextExecution(ZonedDateTime.ofInstant(after, zone))
                    .map(ZonedDateTime::toInstant)
                    .orElse(Instant.MAX);
        }
        long period = rate.toMillis();
        long next = Math.floorDiv(after.toEpochMilli(), period) * period + period;
        return Instant.ofEpochMilli(next);
    }

    /** The last fire time at or before {@code at}, if any (bounded to a year back for cron). */
    public Optional<Instant> latestAtOrBefore(Instant at) {
        if (cron.isPresent()) {
            ZonedDateTime when = ZonedDateTime.ofInstant(at.plusMillis(1), zone);
            return cron.get().lastExecution(when).map(ZonedDateTime::toInstant)
                    .filter(t -> !t.isAfter(at) && t.isAfter(at.minus(Duration.ofDays(366))));
        }
        long period = rate.toMillis();
        return Optional.of(Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), period) * period));
    }

    public Misfire misfire() {
        return misfire;
    }

    public Duration misfireThreshold() {
        return misfireThreshold;
    }

    public ZoneId zone() {
        return zone;
    }

    /** A stable description of when it fires, e.g. {@code cron:0 * * * *@UTC} or {@code rate:60000}. */
    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec + " misfire " + misfire;
    }
}
