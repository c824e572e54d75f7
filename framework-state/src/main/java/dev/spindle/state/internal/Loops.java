package dev.spindle.state.internal;

import dev.spindle.core.LoopExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Hands results, successes and failures alike, to the executor of the caller that asked for them. */
public final class Loops {

    private Loops() {}

    /**
     * {@code stage}, completing on {@code executor}. On an event loop the result is passed on
     * directly when it arrives on that loop already, and queued to it otherwise.
     */
    public static <T> CompletableFuture<T> resume(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (LoopExecutor.isLoop(executor)) {
            if (future.isDone() && LoopExecutor.inLoopOf(executor)) {
                return future;
            }
            CompletableFuture<T> resumed = new CompletableFuture<>();
            future.whenComplete((value, failure) -> {
                if (LoopExecutor.inLoopOf(executor)) {
                    settle(resumed, value, failure);
                } else {
                    execute(executor, () -> settle(resumed, value, failure), resumed, value, failure);
                }
            });
            return resumed;
        }
        CompletableFuture<T> resumed = new CompletableFuture<>();
        future.whenComplete((value, failure) -> execute(executor, () -> settle(resumed, value, failure), resumed,
                value, failure));
        return resumed;
    }

    private static <T> void execute(Executor executor, Runnable task, CompletableFuture<T> resumed, T value,
                                    Throwable failure) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            settle(resumed, value, failure); // shutting down: completing here beats never completing
        }
    }

    static <T> void settle(CompletableFuture<T> target, T value, Throwable failure) {
        if (failure != null) {
            target.completeExceptionally(RedisFailures.unwrap(failure));
        } else {
            target.complete(value);
        }
    }
}
