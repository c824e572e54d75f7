package dev.spindle.state.jobs;

/** How many jobs a queue holds in each state, and whether it is paused. */
public record JobCounts(long waiting, long delayed, long active, long completed, long failed, boolean paused) {}
