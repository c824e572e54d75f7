package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.state.State;
import dev.spindle.test.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's realtime examples do what the README says: a line sent to a room comes back to its members. */
class RealtimeExamplesTest {

    @Test
    void theChatRoomExampleRelaysLinesToTheRoom() throws Exception {
        try (TestServer server = TestServer.start(app -> RealtimeExamples.install(app, State.install(app)))) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat.v1")
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat/lobby"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            heard.complete(data.toString());
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).isEqualTo("chat.v1");
            ws.sendText("hello room", true).get(30, TimeUnit.SECONDS);
            assertThat(heard.get(30, TimeUnit.SECONDS)).isEqualTo("hello room");
            ws.abort();
        }
    }
}
