package dev.spindle.sample.users;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The paging query of {@code GET /api/v1/users}.
 *
 * @param limit users per page, 1-100 (20 by default)
 * @param offset users to skip, not negative
 */
public record Page(@Min(1) @Max(100) int limit, @PositiveOrZero int offset) {}
