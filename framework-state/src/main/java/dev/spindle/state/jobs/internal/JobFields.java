package dev.spindle.state.jobs.internal;

import dev.spindle.state.jobs.JobInfo;
import dev.spindle.state.jobs.JobState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Reads a stored job's fields (the Redis hash, or the memory twin's map) into a {@link JobInfo}. */
final class JobFields {

    private JobFields() {}

    static JobInfo info(String queue, String id, Map<String, String> f) {
        return new JobInfo(queue, id, JobState.ofCode(f.getOrDefault("s", "w")), f.getOrDefault("d", "null"),
                integer(f, "p"), integer(f, "a"), integer(f, "m"), instant(f.get("c")), instant(f.get("r")),
                Optional.ofNullable(f.get("fin")).map(JobFields::instant), Optional.ofNullable(f.get("pg")),
                Optional.ofNullable(f.get("res")), Optional.ofNullable(f.get("e")), Optional.ofNullable(f.get("st")),
                integer(f, "sc"));
    }

    private static int integer(Map<String, String> f, String field) {
        String value = f.get(field);
        return value == null ? 0 : (int) Double.parseDouble(value);
    }

    private static Instant instant(String millis) {
        return millis == null ? Instant.EPOCH : Instant.ofEpochMilli((long) Double.parseDouble(millis));
    }
}
