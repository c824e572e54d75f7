/** Implementation of the job queue: not API, free to change without notice. */
package dev.spindle.state.jobs.internal;
