package dev.spindle.test.realtime;

import static dev.spindle.test.realtime.RawWebSocket.BINARY;
import static dev.spindle.test.realtime.RawWebSocket.CLOSE;
import static dev.spindle.test.realtime.RawWebSocket.CONTINUATION;
import static dev.spindle.test.realtime.RawWebSocket.PING;
import static dev.spindle.test.realtime.RawWebSocket.PONG;
import static dev.spindle.test.realtime.RawWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.WebSocket;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.test.SpindleExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RFC 6455 basics over a raw socket, in the spirit of the Autobahn test suite: framing,
 * fragmentation, control frames, the close handshake both ways, and the close codes the server
 * must answer broken input with (1002 protocol, 1007 invalid UTF-8, 1009 too big, 1011 endpoint failure).
 */
class WebSocketConformanceTest {

    private static final WebSocketOptions LIMITS = WebSocketOptions.builder().maxFrameSize(1024).maxMessageSize(4096)
            .pingInterval(Duration.ZERO).build();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.websocket("/echo", LIMITS, ws -> ws.onText(ws::send).onBinary(ws::send));
        app.websocket("/fail", LIMITS, ws -> ws.onText(text -> {
            throw new IllegalStateException("listener bug");
        }));
        app.websocket("/bye", LIMITS, ws -> ws.close(4000, "done"));
        app.websocket("/big", WebSocketOptions.builder().maxFrameSize(1 << 17).maxMessageSize(1 << 17)
                .pingInterval(Duration.ZERO).build(), ws -> ws.onBinary(ws::send));
    });

    private static RawWebSocket open(String path) throws IOException {
        RawWebSocket socket = RawWebSocket.connect(server.port(), path);
        assertThat(socket.status).isEqualTo(101);
        return socket;
    }

    @Test
    void handshakeAnswersTheKeyAndEchoesTextAndBinary() throws IOException {
        try (RawWebSocket ws = open("/echo")) {
            assertThat(ws.headers).containsKey("sec-websocket-accept").containsKey("x-request-id");
            ws.sendText("héllo");
            RawWebSocket.Frame text = ws.read();
            assertThat(text.opcode()).isEqualTo(TEXT);
            assertThat(text.fin()).isTrue();
            assertThat(text.text()).isEqualTo("héllo");

            byte[] bytes = {0, 1, 2, (byte) 0xFF};
            ws.send(true, BINARY, bytes);
            RawWebSocket.Frame binary = ws.read();
            assertThat(binary.opcode()).isEqualTo(BINARY);
            assertThat(binary.payload()).isEqualTo(bytes);

            ws.send(true, TEXT, new byte[0]);
            assertThat(ws.read().payload()).isEmpty();
        }
    }

    // Regression: the 64-bit length of frames from 64 KiB up was written with int shifts, corrupting the stream.
    @Test
    void echoesMessagesAcrossEveryLengthEncoding() throws IOException {
        try (RawWebSocket ws = open("/big")) {
            for (int size : new int[] {0, 125, 126, 65_535, 65_536, 100_000}) {
                byte[] payload = new byte[size];
                Arrays.fill(payload, (byte) size);
                ws.send(true, BINARY, payload);
                RawWebSocket.Frame echo = ws.read();
                assertThat(echo.payload()).as("echo of %d bytes", size).isEqualTo(payload);
            }
        }
    }

    @Test
    void joinsFragmentsAndAnswersAPingSentBetweenThem() throws IOException {
        try (RawWebSocket ws = open("/echo")) {
            ws.send(false, TEXT, "one ".getBytes(StandardCharsets.UTF_8));
            ws.send(true, PING, "are you there".getBytes(StandardCharsets.UTF_8));
            ws.send(false, CONTINUATION, "two ".getBytes(StandardCharsets.UTF_8));
            ws.send(true, CONTINUATION, "three".getBytes(StandardCharsets.UTF_8));

            RawWebSocket.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(ws.read().text()).isEqualTo("one two three");
        }
    }

    @Test
    void fragmentsSplittingAUtf8CharacterAreJoinedBeforeDecoding() throws IOException {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (RawWebSocket ws = open("/echo")) {
            ws.send(false, TEXT, Arrays.copyOfRange(euro, 0, 1));
            ws.send(true, CONTINUATION, Arrays.copyOfRange(euro, 1, 3));
            assertThat(ws.read().text()).isEqualTo("€");
        }
    }

    @Test
    void anUnsolicitedPongIsIgnored() throws IOException {
        try (RawWebSocket ws = open("/echo")) {
            ws.send(true, PONG, new byte[] {1});
            ws.sendText("still here");
            assertThat(ws.read().text()).isEqualTo("still here");
        }
    }

    @Test
    void clientCloseIsEchoedWithItsCodeAndTheServerClosesTheConnection() throws IOException {
        try (RawWebSocket ws = open("/echo")) {
            ws.sendClose(1000, "bye");
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void anEmptyCloseIsAnsweredWithAnEmptyClose() throws IOException {
        try (RawWebSocket ws = open("/echo")) {
            ws.send(true, CLOSE, new byte[0]);
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.payload()).isEmpty();
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void serverCloseWaitsForTheClientsAnswer() throws IOException {
        try (RawWebSocket ws = open("/bye")) {
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(close.closeReason()).isEqualTo("done");
            ws.sendClose(4000, "");
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void invalidUtf8IsClosedWith1007() throws IOException {
        assertClosedWith("/echo", 1007, ws -> ws.send(true, TEXT, new byte[] {(byte) 0xC3, (byte) 0x28}));
    }

    @Test
    void invalidUtf8InALaterFragmentIsClosedWith1007() throws IOException {
        assertClosedWith("/echo", 1007, ws -> {
            ws.send(false, TEXT, "fine so far".getBytes(StandardCharsets.UTF_8));
            ws.send(true, CONTINUATION, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a UTF-16 surrogate
        });
    }

    @Test
    void aFrameAboveTheLimitIsClosedWith1009() throws IOException {
        assertClosedWith("/echo", 1009, ws -> ws.send(true, BINARY, new byte[1025]));
    }

    @Test
    void aMessageAboveTheLimitInSmallFragmentsIsClosedWith1009() throws IOException {
        assertClosedWith("/echo", 1009, ws -> {
            ws.send(false, BINARY, new byte[1000]);
            for (int i = 0; i < 4; i++) {
                ws.send(false, CONTINUATION, new byte[1000]);
            }
        });
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(true, 0, TEXT, "x".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void reservedBitsWithoutAnExtensionAreAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(true, 0b100, TEXT, "x".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void anUnknownOpcodeIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(true, 0x3, new byte[0]));
    }

    @Test
    void aFragmentedControlFrameIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(false, PING, new byte[1]));
    }

    @Test
    void aControlFrameAbove125BytesIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(true, PING, new byte[126]));
    }

    @Test
    void aContinuationWithoutAStartIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.send(true, CONTINUATION, new byte[1]));
    }

    @Test
    void aNewMessageInsideAFragmentedOneIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> {
            ws.send(false, TEXT, new byte[] {'a'});
            ws.send(true, TEXT, new byte[] {'b'});
        });
    }

    @Test
    void aCloseWithAnInvalidCodeIsAProtocolError() throws IOException {
        assertClosedWith("/echo", 1002, ws -> ws.sendClose(1005, ""));
    }

    @Test
    void aListenerThatThrowsClosesItsSocketWith1011() throws IOException {
        assertClosedWith("/fail", 1011, ws -> ws.sendText("boom"));
        // ...and only that socket: the loop keeps serving others.
        try (RawWebSocket other = open("/echo")) {
            other.sendText("fine");
            assertThat(other.read().text()).isEqualTo("fine");
        }
    }

    private interface Action {
        void run(RawWebSocket ws) throws IOException;
    }

    private static void assertClosedWith(String path, int code, Action action) throws IOException {
        try (RawWebSocket ws = open(path)) {
            action.run(ws);
            RawWebSocket.Frame close = ws.readSkippingPings();
            assertThat(close.opcode()).as("opcode of %s", close).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(code);
            assertThat(ws.closedByServer()).isTrue();
        }
    }
}
