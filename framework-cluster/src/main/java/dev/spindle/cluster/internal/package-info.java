/**
 * Internal: the supervisor and its control channel, the worker side of the launcher, the metrics
 * and admin endpoints, and the Redis and in-memory registries and elections. Free to change.
 */
package dev.spindle.cluster.internal;
