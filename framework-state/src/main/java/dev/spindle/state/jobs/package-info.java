/**
 * Background jobs that outlive a process: a reliable job queue on Redis (or its in-memory twin),
 * with delays, priorities, retries with backoff, leases with fencing tokens, stalled-job
 * recovery, rate limits, cross-instance schedulers and operator routes. Start at {@link
 * dev.spindle.state.jobs.Jobs}.
 */
package dev.spindle.state.jobs;
