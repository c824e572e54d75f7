/**
 * Scaling past one process: multi-acceptor topology, supervised workers and coordination on
 * Redis. (Filled in by the framework-cluster issue.)
 */
package dev.spindle.cluster;
