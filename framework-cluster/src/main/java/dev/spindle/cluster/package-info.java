/**
 * Scaling past one process. {@link dev.spindle.cluster.Cluster#launch} runs an app as one process
 * or as a supervised cluster of worker processes sharing one port through {@code SO_REUSEPORT}
 * (restart with backoff, crash-loop guard, graceful stop, rolling restart, a metrics port per
 * worker with Prometheus file discovery). {@link dev.spindle.cluster.Coordination} joins the
 * instances on several machines through Redis: an instance registry and leader elections with
 * fencing tokens, each with an in-memory twin.
 */
package dev.spindle.cluster;
