package dev.spindle.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Works through a large collection on the event loop in slices, yielding the loop between
 * slices so other connections are served meanwhile: the Node guide's "await setImmediate()
 * every 100 items". For work that must stay on the loop (it touches loop-confined state) but is
 * too long to run in one go; CPU-heavy work belongs in {@code ctx.offload(...)} instead.
 *
 * <pre>{@code
 * Slices.forEach(rows, 100, row -> totals.add(row), ctx.executor()).thenApply(done -> Response.json(totals));
 * }</pre>
 */
public final class Slices {

    private Slices() {}

    /**
     * Applies {@code action} to each item, {@code sliceSize} at a time, each slice in its own
     * task on {@code loop} (the list must not change meanwhile). The stage completes after the last item, or exceptionally with the
     * first exception {@code action} throws (later items are then skipped).
     */
    public static <T> CompletionStage<Void> forEach(List<T> items, int sliceSize, Consumer<? super T> action,
                                                    Executor loop) {
        requireNonNull(items, "items");
        requireNonNull(action, "action");
        requireNonNull(loop, "loop");
        if (sliceSize < 1) {
            throw new IllegalArgumentException("sliceSize: " + sliceSize + " (expected: >= 1)");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(new Slice<>(items, sliceSize, action, loop, done, 0));
        return done;
    }

    private record Slice<T>(List<T> items, int size, Consumer<? super T> action, Executor loop,
                            CompletableFuture<Void> done, int from) implements Runnable {
        @Override
        public void run() {
            if (done.isDone()) {
                return;
            }
            int to = Math.min(items.size(), from + size);
            try {
                for (int i = from; i < to; i++) {
                    action.accept(items.get(i));
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            if (to == items.size()) {
                done.complete(null);
            } else {
                loop.execute(new Slice<>(items, size, action, loop, done, to));
            }
        }
    }
}
