package dev.spindle.state.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Hands results back to a request's event loop. */
final class Loops {

    private Loops() {}

    /** {@code stage}, completing on {@code executor}; as is when already done and already there. */
    static <T> CompletionStage<T> resume(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone() && executor instanceof EventExecutor loop && loop.inEventLoop()) {
            return future;
        }
        return future.whenCompleteAsync((value, failure) -> { }, executor);
    }
}
