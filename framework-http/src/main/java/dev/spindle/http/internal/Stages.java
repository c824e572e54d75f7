package dev.spindle.http.internal;

import dev.spindle.http.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Recognising handler stages that are already complete, so they can be answered without a callback. */
final class Stages {

    /** The JDK's minimal stage is a CompletableFuture whose isDone() throws; it is read through a copy. */
    private static final Class<?> MINIMAL_STAGE = CompletableFuture.completedStage(null).getClass();

    private Stages() {}

    /** The stage as a completed future when it already is one, else null. */
    static CompletableFuture<Response> completedOrNull(CompletionStage<Response> stage) {
        if (stage.getClass() == MINIMAL_STAGE) {
            CompletableFuture<Response> copy = stage.toCompletableFuture();
            return copy.isDone() ? copy : null;
        }
        return stage instanceof CompletableFuture<Response> future && future.isDone() ? future : null;
    }
}
