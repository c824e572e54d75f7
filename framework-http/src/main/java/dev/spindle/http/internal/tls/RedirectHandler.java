package dev.spindle.http.internal.tls;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each cleartext request with {@code 308 Permanent Redirect} to the same host, path and
 * query over HTTPS (308 keeps the method and body, unlike 301), then closes the connection.
 */
final class RedirectHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final Logger log = LoggerFactory.getLogger(RedirectHandler.class);
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    private final int httpsPort;
    private final Counter redirects;
    private boolean answered;

    RedirectHandler(int httpsPort, Counter redirects) {
        this.httpsPort = httpsPort;
        this.redirects = redirects;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (answered || !(msg instanceof HttpRequest request)) {
            return;
        }
        answered = true;
        Optional<String> location = request.decoderResult().isSuccess() ? location(request, httpsPort) : Optional.empty();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                location.isPresent() ? HttpResponseStatus.PERMANENT_REDIRECT : HttpResponseStatus.BAD_REQUEST,
                Unpooled.EMPTY_BUFFER);
        location.ifPresent(target -> response.headers().set(HttpHeaderNames.LOCATION, target));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (location.isPresent()) {
            redirects.increment();
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code https://host[:port]/path?query} for {@code request}, or empty when its host or target is unusable. */
    static Optional<String> location(HttpRequest request, int httpsPort) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        Matcher matcher = host == null ? null : HOST.matcher(host.trim());
        if (matcher == null || !matcher.matches()) {
            return Optional.empty();
        }
        return target(request.uri()).map(target -> "https://" + matcher.group(1)
                + (httpsPort == 443 ? "" : ":" + httpsPort) + target);
    }

    private static Optional<String> target(String uri) {
        if (uri.startsWith("/")) {
            return Optional.of(uri);
        }
        try {
            URI absolute = new URI(uri);
            if (!absolute.isAbsolute() || absolute.getRawPath() == null) {
                return Optional.empty();
            }
            String path = absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            return Optional.of(absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Redirect connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
