package dev.spindle.sample.reports;

import java.time.Instant;
import java.util.List;

/**
 * A finished sign-up report, stored as the result of its job (JSON) and served by
 * {@code GET /api/v1/reports/{id}}.
 *
 * @param days         the period asked for
 * @param since        the start of the period (the report's time minus {@code days})
 * @param generatedAt  when the instance built it
 * @param generatedBy  the instance that built it ({@code X-Instance-Id}), so a fleet's operator sees who ran it
 * @param totalUsers   users stored when it was built
 * @param newUsers     users who signed up in the period
 * @param perDay       sign-ups per UTC day of the period, days without any left out, oldest first
 * @param topDomains   the e-mail domains most of the period's sign-ups use, most first
 */
public record SignupReport(int days, Instant since, Instant generatedAt, String generatedBy, int totalUsers,
                           int newUsers, List<DayCount> perDay, List<DomainCount> topDomains) {

    /** Sign-ups on one UTC day ({@code yyyy-mm-dd}). */
    public record DayCount(String day, int users) {}

    /** Sign-ups with an e-mail address at {@code domain}. */
    public record DomainCount(String domain, int users) {}
}
