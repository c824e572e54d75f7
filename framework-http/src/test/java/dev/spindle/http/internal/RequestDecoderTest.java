package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The decoder knows where it stands between requests, and reads request lines as they were sent. */
class RequestDecoderTest {

    private final RequestDecoder decoder = new RequestDecoder(new HttpDecoderConfig().setStrictLineParsing(true));
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private HttpRequest head() {
        Object msg;
        HttpRequest head = null;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof HttpRequest request && head == null) {
                head = request;
            }
            ReferenceCountUtil.release(msg);
        }
        return head;
    }

    // Regression: a body that arrived in a later read than its head was taken for the start of the next request.
    @Test
    void aBodyInALaterReadEndsItsRequestAndLeavesTheDecoderBetweenRequests() {
        send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
        assertThat(decoder.betweenRequests()).isFalse();

        send("hello");

        assertThat(decoder.betweenRequests()).isTrue();
        head();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void bytesOfTheNextHeadMeanARequestIsBeingRead() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HT");
        assertThat(decoder.betweenRequests()).isFalse();

        send("TP/1.1\r\nHost: x\r\n\r\n");
        assertThat(decoder.betweenRequests()).isTrue();
        head();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void whitespaceBeforeTheMethodFailsTheRequest() {
        send(" GET /a HTTP/1.1\r\nHost: x\r\n\r\n");

        HttpRequest head = head();
        assertThat(head.decoderResult().cause()).isInstanceOf(RequestDecoder.BadRequestLine.class);
        assertThat(((RequestDecoder.BadRequestLine) head.decoderResult().cause()).status).isEqualTo(400);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anotherHttpVersionIsA505AndALowerCaseOneA400() {
        send("GET /a HTTP/2.0\r\nHost: x\r\n\r\n");
        assertThat(RequestDecoder.versionProblem(head().protocolVersion()).status).isEqualTo(505);

        send("GET /a http/1.1\r\nHost: x\r\n\r\n");
        assertThat(RequestDecoder.versionProblem(head().protocolVersion()).status).isEqualTo(400);

        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(RequestDecoder.versionProblem(head().protocolVersion())).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aRequestLineSplitAcrossReadsIsCheckedOnceComplete() {
        send("\r\n");
        send(" GET /a HTTP/1");
        send(".1\r\nHost: x\r\n\r\n");

        assertThat(head().decoderResult().isFailure()).isTrue();
        send("GET /a HTTP/1");
        send(".1\r\nHost: x\r\n\r\n");

        assertThat(head().decoderResult().isSuccess()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }
}
