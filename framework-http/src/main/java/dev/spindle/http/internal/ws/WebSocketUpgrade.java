package dev.spindle.http.internal.ws;

import dev.spindle.http.Context;
import dev.spindle.http.WebSocketEndpoint;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.http.internal.ConnectionUpgrade;
import dev.spindle.http.internal.LongLivedConnections;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * Switches an accepted upgrade request's connection to WebSocket with Netty's codec: the RFC 6455
 * handshake (subprotocol agreed there), the frame decoder with the endpoint's frame limit, UTF-8
 * validation of text (after inflating, when permessage-deflate was agreed) and the frame handler.
 */
final class WebSocketUpgrade implements ConnectionUpgrade {

    private final Context request;
    private final WebSocketOptions options;
    private final WebSocketEndpoint endpoint;

    WebSocketUpgrade(Context request, WebSocketOptions options, WebSocketEndpoint endpoint) {
        this.request = request;
        this.options = options;
        this.endpoint = endpoint;
    }

    @Override
    public void takeOver(Channel channel, HttpRequest httpRequest, HttpHeaders responseHeaders,
                         LongLivedConnections longLived) {
        ChannelPipeline pipeline = channel.pipeline();
        // The last HTTP/1.1 handler: the server's response encoder (or a combined codec).
        ChannelHandlerContext codec = pipeline.context(HttpResponseEncoder.class);
        if (codec == null) {
            codec = pipeline.context(HttpServerCodec.class);
        }
        if (codec == null) {
            throw new IllegalStateException("WebSocket upgrades need the HTTP/1.1 codec in the pipeline");
        }
        FullHttpRequest handshakeRequest = new DefaultFullHttpRequest(httpRequest.protocolVersion(),
                httpRequest.method(), httpRequest.uri(), Unpooled.EMPTY_BUFFER, httpRequest.headers(),
                EmptyHttpHeaders.INSTANCE);
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxFrameSize())
                .allowExtensions(options.compression())
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(false) // the frame handler closes, with the code, and counts it
                .withUTF8Validator(false) // added below, after inflating
                .build();
        String location = request.scheme().replace("http", "ws") + "://"
                + httpRequest.headers().get(HttpHeaderNames.HOST, "localhost") + httpRequest.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location,
                options.subprotocols().isEmpty() ? null : String.join(",", options.subprotocols()), decoder)
                .newHandshaker(handshakeRequest);
        if (handshaker == null) {
            throw new IllegalStateException("The WebSocket version was checked before the upgrade");
        }
        String after = codec.name();
        if (options.compression()) {
            pipeline.addAfter(after, "ws-extensions", new WebSocketServerCompressionHandler(options.maxMessageSize()));
            after = "ws-extensions";
        }
        pipeline.addAfter(after, "ws-utf8", new Utf8FrameValidator(false));
        WebSocketConnection connection = new WebSocketConnection(channel, request, options,
                WebSocketMeters.of(longLived, request.route()), longLived);
        pipeline.addAfter("ws-utf8", "websocket", new WebSocketFrameHandler(connection, options.maxMessageSize()));
        if (options.compression()) {
            // The extension handler learns what the client offered from the request itself.
            codec.fireChannelRead(httpRequest);
        }
        ChannelPromise handshake = channel.newPromise();
        handshaker.handshake(channel, handshakeRequest, responseHeaders, handshake);
        handshake.addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
            }
        });
        connection.opened(handshaker.selectedSubprotocol(), endpoint);
    }
}
