package dev.spindle.sample.reports;

import dev.spindle.sample.users.User;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts users page by page into a {@link SignupReport}; the CPU part of a report, run off the event loops. */
final class SignupTally {

    static final int TOP_DOMAINS = 5;

    private final Instant since;
    private final Map<LocalDate, Integer> perDay = new TreeMap<>();
    private final Map<String, Integer> domains = new HashMap<>();
    private int total;
    private int fresh;

    SignupTally(Instant since) {
        this.since = since;
    }

    void add(User user) {
        total++;
        if (user.createdAt().isBefore(since)) {
            return;
        }
        fresh++;
        perDay.merge(LocalDate.ofInstant(user.createdAt(), ZoneOffset.UTC), 1, Integer::sum);
        domains.merge(user.email().substring(user.email().lastIndexOf('@') + 1), 1, Integer::sum);
    }

    int scanned() {
        return total;
    }

    SignupReport report(int days, Instant generatedAt, String generatedBy) {
        List<SignupReport.DayCount> signups = perDay.entrySet().stream()
                .map(day -> new SignupReport.DayCount(day.getKey().toString(), day.getValue())).toList();
        List<SignupReport.DomainCount> top = domains.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_DOMAINS)
                .map(domain -> new SignupReport.DomainCount(domain.getKey(), domain.getValue())).toList();
        return new SignupReport(days, since, generatedAt, generatedBy, total, fresh, signups, top);
    }
}
