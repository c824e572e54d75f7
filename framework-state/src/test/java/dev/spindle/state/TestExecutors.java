package dev.spindle.state;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/** Executors that let a test decide when delivery happens. */
final class TestExecutors {

    private TestExecutors() {}

    /** Holds tasks until opened, then hands them and all later ones to {@code target}. */
    static final class Gate implements Executor {
        private final Executor target;
        private final List<Runnable> held = new ArrayList<>();
        private boolean open;

        Gate(Executor target) {
            this.target = target;
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (open) {
                target.execute(task);
            } else {
                held.add(task);
            }
        }

        synchronized void open() {
            open = true;
            held.forEach(target::execute);
            held.clear();
        }
    }

    /** An executor that keeps its tasks until told to run them, like a loop busy elsewhere. */
    static final class HeldTasks implements Executor {
        private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int size() {
            return tasks.size();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }

        /** Runs tasks as they come until {@code stage} is complete. */
        void runUntil(CompletionStage<?> stage) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                runAll();
                return stage.toCompletableFuture().isDone();
            });
        }
    }
}
