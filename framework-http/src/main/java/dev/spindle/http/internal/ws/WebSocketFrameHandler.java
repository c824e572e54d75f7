package dev.spindle.http.internal.ws;

import dev.spindle.http.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded connection: joins fragments into messages (at most the
 * endpoint's message size, 1009 above), hands messages and control frames to the connection,
 * and turns the codec's protocol errors into the close code they call for. Frames are released here.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
    private static final byte[] EMPTY = new byte[0];

    private final WebSocketConnection connection;
    private final int maxMessageSize;
    private byte[] fragments;
    private int fragmentsSize;
    private boolean fragmentsText;

    WebSocketFrameHandler(WebSocketConnection connection, int maxMessageSize) {
        this.connection = connection;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                boolean text = msg instanceof TextWebSocketFrame;
                if (frame.isFinalFragment()) {
                    deliver(text, frame.content());
                } else {
                    fragmentsText = text;
                    fragments = new byte[Math.min(maxMessageSize, Math.max(1024, frame.content().readableBytes() * 2))];
                    fragmentsSize = 0;
                    append(frame.content());
                }
            } else if (msg instanceof ContinuationWebSocketFrame frame) {
                if (fragments == null || !append(frame.content())) {
                    return;
                }
                if (frame.isFinalFragment()) {
                    byte[] message = Arrays.copyOf(fragments, fragmentsSize);
                    fragments = null;
                    if (fragmentsText) {
                        connection.text(new String(message, StandardCharsets.UTF_8));
                    } else {
                        connection.binary(message);
                    }
                }
            } else if (msg instanceof PingWebSocketFrame ping) {
                connection.ping(ping.content());
            } else if (msg instanceof CloseWebSocketFrame close) {
                connection.closeFrame(close.statusCode(), close.content().isReadable() ? close.reasonText() : "");
            } else if (msg instanceof WebSocketFrame) {
                connection.alive(); // a pong
            }
            // Anything else is the upgrade request passed along for extension negotiation: nothing to do.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void deliver(boolean text, ByteBuf content) {
        if (content.readableBytes() > maxMessageSize) {
            tooBig();
        } else if (text) {
            connection.text(content.toString(StandardCharsets.UTF_8));
        } else {
            connection.binary(content.isReadable() ? ByteBufUtil.getBytes(content) : EMPTY);
        }
    }

    /** Adds a fragment; false (and the connection failed with 1009) when the message grows past the limit. */
    private boolean append(ByteBuf content) {
        int readable = content.readableBytes();
        if ((long) fragmentsSize + readable > maxMessageSize) {
            fragments = null;
            tooBig();
            return false;
        }
        if (fragments.length - fragmentsSize < readable) {
            fragments = Arrays.copyOf(fragments, (int) Math.min(maxMessageSize,
                    Math.max((long) fragmentsSize + readable, fragments.length * 2L)));
        }
        content.readBytes(fragments, fragmentsSize, readable);
        fragmentsSize += readable;
        return true;
    }

    private void tooBig() {
        connection.protocolError(WebSocket.MESSAGE_TOO_BIG, "Message larger than " + maxMessageSize + " bytes");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fragments = null;
        connection.closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            connection.protocolError(corrupted.closeStatus().code(), String.valueOf(corrupted.getMessage()));
        } else if (cause instanceof DecoderException) {
            // A compressed message that does not inflate, or inflates past the limit.
            String message = String.valueOf(cause.getMessage());
            connection.protocolError(message.contains("maximum") ? WebSocket.MESSAGE_TOO_BIG : WebSocket.PROTOCOL_ERROR,
                    message);
        } else if (cause instanceof IOException) {
            log.debug("WebSocket connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("Unexpected error on WebSocket connection {}", ctx.channel().remoteAddress(), cause);
            connection.protocolError(WebSocket.INTERNAL_ERROR, "Internal error");
        }
    }
}
