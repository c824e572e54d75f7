package dev.spindle.state.jobs.internal;

import dev.spindle.state.Broadcaster;
import dev.spindle.state.Subscription;
import dev.spindle.state.internal.Json;
import dev.spindle.state.jobs.JobEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue's events on the broadcaster (topic {@code jobs:<queue>}), batched: one publish in
 * flight per queue, events raised meanwhile go out together in the next, so events never cost a
 * Redis round trip per job. Requests to cancel a running job also travel on a topic of their own
 * ({@code jobs-cancel:<queue>}), so that workers listen to those alone, not to every event.
 */
final class JobEvents {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

    /** The wire form of one event. */
    record Wire(String t, String id, int a, String e) {}

    private final Broadcaster broadcaster;
    private final String queue;
    private final String topic;
    private final String cancelTopic;
    private final Json json;
    private List<Wire> pending = new ArrayList<>();
    private boolean publishing;

    JobEvents(Broadcaster broadcaster, String queue, Json json) {
        this.broadcaster = broadcaster;
        this.queue = queue;
        this.topic = "jobs:" + queue;
        this.cancelTopic = "jobs-cancel:" + queue;
        this.json = json;
    }

    void emit(JobEvent.Type type, String id, int attempt, String error) {
        List<Wire> batch;
        synchronized (this) {
            pending.add(new Wire(type.name(), id, attempt, error));
            if (publishing) {
                return;
            }
            publishing = true;
            batch = pending;
            pending = new ArrayList<>();
        }
        publish(batch);
    }

    private void publish(List<Wire> batch) {
        String message;
        try {
            message = json.write(batch);
        } catch (RuntimeException e) {
            log.warn("Could not encode job events of queue '{}'", queue, e);
            next();
            return;
        }
        broadcaster.publish(topic, message).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.debug("Job events of queue '{}' not published: {}", queue, failure.toString());
            }
            next();
        });
    }

    private void next() {
        List<Wire> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                publishing = false;
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
        }
        publish(batch);
    }

    /** Asks every instance to cancel running job {@code id} (and tells the queue's listeners). */
    void requestCancel(String id) {
        emit(JobEvent.Type.CANCEL_REQUESTED, id, 0, null);
        broadcaster.publish(cancelTopic, id).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("The cancellation of job {} of queue '{}' did not reach the other instances ({}); its "
                        + "worker learns of it at its next lease renewal", id, queue, failure.toString());
            }
        });
    }

    /** Listens to requests to cancel running jobs of this queue, from every instance. */
    Subscription onCancel(Consumer<String> listener) {
        return broadcaster.subscribe(cancelTopic, listener);
    }

    Subscription subscribe(Consumer<JobEvent> listener) {
        return broadcaster.subscribe(topic, message -> {
            for (Wire wire : json.read(message, Wire[].class)) {
                listener.accept(decode(wire));
            }
        });
    }

    private JobEvent decode(Wire wire) {
        return new JobEvent(JobEvent.Type.valueOf(wire.t()), queue, wire.id(), wire.a(), Optional.ofNullable(wire.e()));
    }
}
