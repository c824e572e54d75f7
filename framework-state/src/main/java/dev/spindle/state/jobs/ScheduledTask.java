package dev.spindle.state.jobs;

import java.util.concurrent.CompletionStage;

/** The work of a {@link Schedule}: runs as a job, on one instance per fire time. */
@FunctionalInterface
public interface ScheduledTask {

    CompletionStage<?> run() throws Exception;
}
