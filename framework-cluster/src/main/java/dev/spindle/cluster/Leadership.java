package dev.spindle.cluster;

import java.time.Instant;

/**
 * Proof of leadership of one duty: the holder and a fencing token that grows with every change of
 * leader. Pass the token with every write the duty makes, and have the store refuse a token lower
 * than one it has seen, so a leader that was paused past its lease cannot overwrite its
 * successor's work.
 *
 * @param duty       what the leader does, e.g. {@code scheduler}
 * @param holder     the leading instance's id
 * @param token      the fencing token, strictly greater than every earlier leader's
 * @param validUntil the end of the lease as the leader counts it; it must stop acting after this
 */
public record Leadership(String duty, String holder, long token, Instant validUntil) {}
