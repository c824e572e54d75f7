package dev.spindle.sample.it;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of {@code GET /api/v1/delay/50} from a few client threads, each sending its next
 * request as soon as the last one answered: 50 ms in the handler, so some requests are always in
 * flight when a process is killed. Counts what started, what finished, and how each ended.
 */
final class Traffic {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private final List<Future<?>> clients = new ArrayList<>();
    private final int clientCount;

    private Traffic(Endpoint target, int clientCount) {
        this.clientCount = clientCount;
        this.threads = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            clients.add(threads.submit(() -> {
                while (!stop.get()) {
                    started.incrementAndGet();
                    try {
                        HttpResponse<String> response = target.get("/api/v1/delay/50");
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } finally {
                        finished.incrementAndGet();
                    }
                }
                return null;
            }));
        }
    }

    /** Starts {@code clients} client threads against {@code target}. */
    static Traffic start(Endpoint target, int clients) {
        return new Traffic(target, clients);
    }

    int clients() {
        return clientCount;
    }

    int started() {
        return started.get();
    }

    int finished() {
        return finished.get();
    }

    int inFlight() {
        return started.get() - finished.get();
    }

    int ok() {
        return ok.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the clients after their current request; rethrows what a client thread failed with. */
    void stop() throws Exception {
        stop.set(true);
        try {
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
