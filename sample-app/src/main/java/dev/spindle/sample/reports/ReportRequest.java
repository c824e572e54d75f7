package dev.spindle.sample.reports;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/v1/reports}, and the payload of its job: a sign-up report over the
 * users who joined in the last {@code days} days.
 *
 * @param days how far back the report looks, 1-366
 */
public record ReportRequest(@NotNull @Min(1) @Max(366) Integer days) {}
