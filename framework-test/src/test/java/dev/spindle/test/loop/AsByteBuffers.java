package dev.spindle.test.loop;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/** Adapts a publisher to the JDK client's request-body publisher type. */
record AsByteBuffers(Flow.Publisher<ByteBuffer> source) implements Flow.Publisher<ByteBuffer> {

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        source.subscribe(subscriber);
    }
}
