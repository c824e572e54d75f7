package dev.spindle.sample.reputation;

import java.time.Instant;

/**
 * What the (slow) reputation service says about a user: a trust score from 0 to 100 and its
 * verdict, as of {@code checkedAt}. Cached, so most answers are minutes old.
 */
public record Reputation(String userId, int score, String verdict, Instant checkedAt) {}
