package dev.spindle.http.internal;

import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs one exchange's handler and turns whatever it does into one answer: a response, a failure
 * mapped to a problem, or the deadline's 503 (408 while the body is still arriving), after which
 * the request's scope is cancelled so the work behind it stops. Confined to the connection's loop.
 */
final class ExchangeRunner {

    /** How the runner reaches its connection. */
    interface Answers {
        /** Answers {@code exchange} unless it was already; false when it was. */
        boolean answer(Exchange exchange, Response response);

        /** Whether the exchange's body is still arriving. */
        boolean receiving(Exchange exchange);

        /** Answers and closes: the body will never be read to its end. */
        void refuse(Exchange exchange, Response response);
    }

    private final ServerContext server;
    private final Answers answers;

    ExchangeRunner(ServerContext server, Answers answers) {
        this.server = server;
        this.answers = answers;
    }

    /** Calls the handler; the answer follows at once when its stage is already complete. */
    void run(RequestScope scope) {
        Exchange exchange = scope.exchange;
        exchange.handling();
        CompletionStage<Response> stage;
        scope.enter();
        try {
            stage = exchange.entry().handler().handle(scope.context());
        } catch (Throwable failure) {
            complete(scope, null, failure);
            return;
        } finally {
            scope.exit();
        }
        if (stage == null) {
            complete(scope, null, new NullPointerException("The handler returned null instead of a stage"));
            return;
        }
        CompletableFuture<Response> done = Stages.completedOrNull(stage);
        if (done != null) {
            // Most handlers answer at once: no dependent stage, no callback, no timer.
            completeNow(scope, done);
            return;
        }
        stage.whenComplete((response, failure) -> {
            // Not the scope's executor: on the loop (the common case) this must not allocate a second lambda.
            if (scope.loop().inEventLoop()) {
                complete(scope, response, failure);
            } else {
                scope.loop().execute(() -> complete(scope, response, failure));
            }
        });
        armDeadline(scope);
    }

    /** Starts the deadline clock of an exchange whose body is still arriving or whose handler is pending. */
    void armDeadline(RequestScope scope) {
        scope.arm(() -> onDeadline(scope));
    }

    private void completeNow(RequestScope scope, CompletableFuture<Response> done) {
        Response response;
        try {
            response = done.getNow(null);
        } catch (CancellationException | CompletionException e) {
            complete(scope, null, e);
            return;
        }
        complete(scope, response, null);
    }

    private void complete(RequestScope scope, Response response, Throwable failure) {
        Exchange exchange = scope.exchange;
        if (exchange.answered()) {
            if (scope.isCancelled() && !(Failures.unwrap(failure) instanceof CancellationException)) {
                server.metrics.lateCompletion();
            }
            return;
        }
        answers.answer(exchange, failure == null && response != null ? response : answerFor(scope, failure));
    }

    /** The problem response for a failed (or null) answer, mapped with the request's id in the MDC. */
    private Response answerFor(RequestScope scope, Throwable failure) {
        scope.enter();
        try {
            String what = scope.exchange.describe();
            return failure != null ? server.failures.toResponse(failure, scope.context(), what)
                    : server.failures.nullResponse(what);
        } finally {
            scope.exit();
        }
    }

    /** The deadline passed: 408 while the body is arriving, otherwise 503; either way the work is cancelled. */
    private void onDeadline(RequestScope scope) {
        scope.deadlineFired();
        Exchange exchange = scope.exchange;
        if (exchange.answered()) {
            return;
        }
        server.metrics.deadlineExceeded();
        long millis = exchange.entry().deadlineNanos() / 1_000_000;
        if (answers.receiving(exchange)) {
            answers.refuse(exchange, Response.problem(Problem.of(408,
                    "The request body did not arrive within the " + millis + " ms deadline")));
        } else {
            scope.enter();
            try {
                server.deadlineLog.timedOut(exchange.describe(), millis);
            } finally {
                scope.exit();
            }
            answers.answer(exchange, Response.problem(Problem.of(503,
                    "The request did not complete within its " + millis + " ms deadline")));
        }
        scope.cancel();
    }
}
