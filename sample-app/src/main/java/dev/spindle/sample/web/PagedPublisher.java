package dev.spindle.sample.web;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * A response body produced a page at a time, and only as fast as the client reads it: the next
 * page is fetched when the previous one has been handed to the connection and more is asked for.
 * One page is in memory at any moment, however many rows there are, so an export of a million
 * rows costs the server what one page costs. Every signal runs on {@code executor} (the request's
 * event loop), which keeps the state single-threaded without locks.
 *
 * <pre>{@code
 * app.get("/export.ndjson", ctx -> Response.stream(
 *         new PagedPublisher<>(users::list, 500, "", user -> json.writeValueAsString(user), ctx.executor()),
 *         "application/x-ndjson").completed());
 * }</pre>
 *
 * @param <T> the rows
 */
public final class PagedPublisher<T> implements Flow.Publisher<ByteBuffer> {

    /** Where the rows come from: up to {@code limit} rows after the first {@code offset}. */
    @FunctionalInterface
    public interface Pages<T> {
        CompletionStage<List<T>> page(int offset, int limit);
    }

    private final Pages<T> pages;
    private final int pageSize;
    private final String header;
    private final Function<T, String> line;
    private final Executor executor;

    /**
     * Rows from {@code pages}, {@code pageSize} at a time, each written as {@code line} and a
     * newline, after {@code header} (empty for none; include its newline).
     */
    public PagedPublisher(Pages<T> pages, int pageSize, String header, Function<T, String> line, Executor executor) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize: " + pageSize + " (expected: >= 1)");
        }
        this.pages = requireNonNull(pages, "pages");
        this.pageSize = pageSize;
        this.header = requireNonNull(header, "header");
        this.line = requireNonNull(line, "line");
        this.executor = requireNonNull(executor, "executor");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        requireNonNull(subscriber, "subscriber");
        subscriber.onSubscribe(new PageSubscription(subscriber));
    }

    private final class PageSubscription implements Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> downstream;
        private long demand;
        private int offset;
        private boolean fetching;
        private boolean exhausted;
        private boolean done;
        private String pending;

        PageSubscription(Flow.Subscriber<? super ByteBuffer> downstream) {
            this.downstream = downstream;
            this.pending = header.isEmpty() ? null : header;
        }

        @Override
        public void request(long n) {
            executor.execute(() -> {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    downstream.onError(new IllegalArgumentException("request(" + n + ") (expected: > 0; rule 3.9)"));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                drain();
            });
        }

        @Override
        public void cancel() {
            executor.execute(() -> done = true);
        }

        private void drain() {
            while (!done && demand > 0) {
                if (pending != null) {
                    ByteBuffer chunk = ByteBuffer.wrap(pending.getBytes(StandardCharsets.UTF_8));
                    pending = null;
                    demand--;
                    downstream.onNext(chunk);
                } else if (exhausted) {
                    done = true;
                    downstream.onComplete();
                } else {
                    if (!fetching) {
                        fetch();
                    }
                    return;
                }
            }
        }

        private void fetch() {
            fetching = true;
            pages.page(offset, pageSize).whenCompleteAsync((rows, failure) -> {
                fetching = false;
                if (done) {
                    return;
                }
                if (failure != null) {
                    done = true;
                    downstream.onError(failure);
                    return;
                }
                offset += rows.size();
                exhausted = rows.size() < pageSize;
                if (!rows.isEmpty()) {
                    StringBuilder text = new StringBuilder(rows.size() * 96);
                    for (T row : rows) {
                        text.append(line.apply(row)).append('\n');
                    }
                    pending = text.toString();
                }
                drain();
            }, executor);
        }
    }
}
