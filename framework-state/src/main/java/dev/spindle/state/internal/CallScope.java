package dev.spindle.state.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Cancellation;
import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What bounds the state calls made for one piece of work, and where their stages complete: the
 * deadline, the cancellation signal (a request's deadline passing or its client leaving, a
 * job's cancellation), and the executor (the request's loop). Passed down instead of the
 * {@code Context}, so the Redis layer knows nothing of HTTP. On cancellation a call stops at
 * once: its caller's stage fails with {@link CancellationException}, a Redis command not yet
 * written is not sent, one already written has its reply dropped, and its timers stop.
 */
public final class CallScope {

    private static final Executor DIRECT = Runnable::run;
    private static final CallScope UNBOUND = new CallScope(Deadline.none(), Signal.NEVER, DIRECT);

    private final Deadline deadline;
    private final Signal signal;
    private final Executor executor;

    private CallScope(Deadline deadline, Signal signal, Executor executor) {
        this.deadline = deadline;
        this.signal = signal;
        this.executor = executor;
    }

    /** The scope of a request: its deadline, its cancellation, its loop. */
    public static CallScope of(Context ctx) {
        requireNonNull(ctx, "ctx");
        return new CallScope(ctx.deadline(), new Signal(ctx::onCancel, ctx::cancelled), ctx.executor());
    }

    /** Work that no request owns: bounded by {@code deadline}, never cancelled, completing on {@code executor}. */
    public static CallScope of(Deadline deadline, Executor executor) {
        return new CallScope(requireNonNull(deadline, "deadline"), Signal.NEVER, requireNonNull(executor, "executor"));
    }

    /** Work bounded by {@code deadline} and stopped by {@code cancellation} (a job's, or the caller's own). */
    public static CallScope of(Deadline deadline, Cancellation cancellation, Executor executor) {
        requireNonNull(cancellation, "cancellation");
        Signal signal = cancellation == Cancellation.never() ? Signal.NEVER
                : new Signal(cancellation::onCancel, cancellation::isCancelled);
        return new CallScope(requireNonNull(deadline, "deadline"), signal, requireNonNull(executor, "executor"));
    }

    /** Raw calls bounded by {@code deadline} alone, whose stages complete where they complete. */
    public static CallScope of(Deadline deadline) {
        return deadline == Deadline.none() ? UNBOUND : new CallScope(deadline, Signal.NEVER, DIRECT);
    }

    /** Background work: no deadline, no cancellation. */
    public static CallScope unbound() {
        return UNBOUND;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** Where the caller's stages complete. */
    public Executor executor() {
        return executor;
    }

    public boolean isCancelled() {
        return signal.isCancelled();
    }

    /** Whether anything can cancel this scope (false for background work: nothing to subscribe to). */
    public boolean cancellable() {
        return signal != Signal.NEVER;
    }

    /** Runs {@code action} on cancellation (at once if cancelled already); close the registration when done. */
    public Cancellation.Registration onCancel(Runnable action) {
        return signal.onCancel(action);
    }

    /** {@code stage} completing on this scope's executor, and failing at once when the scope is cancelled. */
    public <T> CompletableFuture<T> resume(CompletionStage<T> stage) {
        return guard(Loops.resume(stage, executor));
    }

    /**
     * {@code stage} as this scope's caller sees it: the same outcome, except that cancelling the
     * scope fails it at once with {@link CancellationException}, so nothing chained on it runs for
     * a request that was already answered, even when a result was on its way to the loop. The
     * registration is closed when {@code stage} completes on its own.
     */
    public <T> CompletableFuture<T> guard(CompletionStage<T> stage) {
        CompletableFuture<T> source = stage.toCompletableFuture();
        if (signal == Signal.NEVER || source.isDone() && !signal.isCancelled()) {
            return source;
        }
        CompletableFuture<T> view = new CompletableFuture<>();
        Cancellation.Registration registration = signal.onCancel(() -> view.completeExceptionally(cancelled()));
        source.whenComplete((value, failure) -> {
            registration.close();
            if (failure != null) {
                view.completeExceptionally(failure);
            } else {
                view.complete(value);
            }
        });
        return view;
    }

    /** A failure for work stopped because its scope was cancelled. */
    public static CancellationException cancelled() {
        return new CancellationException("The request was cancelled (its deadline passed or its client left)");
    }

    @Override
    public String toString() {
        return "CallScope[" + deadline + (signal == Signal.NEVER ? "" : isCancelled() ? ", cancelled" : ", cancellable")
                + "]";
    }

    /** How a scope hears of its cancellation: a request's, a job's, or nothing's ({@link #NEVER}). */
    private record Signal(Function<Runnable, Cancellation.Registration> subscribe, BooleanSupplier cancelled) {

        static final Signal NEVER = new Signal(action -> Cancellation.Registration.NONE, () -> false);

        Cancellation.Registration onCancel(Runnable action) {
            return subscribe.apply(action);
        }

        boolean isCancelled() {
            return cancelled.getAsBoolean();
        }
    }
}
