package dev.spindle.state;

/** A listener's registration on a {@link Broadcaster} topic; close it to stop receiving. */
public interface Subscription extends AutoCloseable {

    /** The topic. */
    String topic();

    /** Stops delivery to this listener; messages already handed to its executor may still arrive. */
    @Override
    void close();
}
