/**
 * State that outlives a process: sessions, cache, jobs and broadcast on Redis, each with an
 * in-memory twin. (Filled in by the framework-state issue.)
 */
package dev.spindle.state;
