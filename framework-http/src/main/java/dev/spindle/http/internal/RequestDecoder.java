package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The HTTP/1.x request decoder that also knows whether it stands between two requests: no byte
 * of the next request has arrived. That is what tells an idle connection (closed quietly at the
 * idle timeout) from a slow request head (answered 408), without a handler in front of the codec.
 */
final class RequestDecoder extends HttpRequestDecoder {

    private boolean betweenRequests = true;

    RequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            betweenRequests = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, buffer, out);
        if (out.size() > before && out.get(out.size() - 1) instanceof LastHttpContent) {
            betweenRequests = !buffer.isReadable();
        }
    }

    /** Whether every byte received so far belonged to requests that were decoded to their end. */
    boolean betweenRequests() {
        return betweenRequests;
    }
}
