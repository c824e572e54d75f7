package dev.spindle.http.internal.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The handlers an HTTP/1.1 installer added to a connection, by name, so that the switch to
 * HTTP/2 can take them out again without knowing what they are.
 */
final class Http1Handlers {

    private List<String> names = List.of();

    void install(Channel channel, Consumer<Channel> http1) {
        List<String> before = channel.pipeline().names();
        http1.accept(channel);
        List<String> added = new ArrayList<>(channel.pipeline().names());
        added.removeAll(before);
        names = List.copyOf(added);
    }

    /** Removes those still in the pipeline (the h2c upgrade has already taken the codec out). */
    void removeFrom(ChannelPipeline pipeline) {
        for (String name : names) {
            if (pipeline.context(name) != null) {
                pipeline.remove(name);
            }
        }
    }
}
