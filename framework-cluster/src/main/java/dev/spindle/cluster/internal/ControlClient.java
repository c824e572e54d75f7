package dev.spindle.cluster.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's end of the control channel (see {@link ControlServer}): reports readiness, asks for
 * rolling restarts, and notices when the supervisor is gone, so the worker can stop instead of
 * serving on as an orphan nobody supervises.
 */
public final class ControlClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlClient.class);

    private final Socket socket;
    private final OutputStream out;
    private volatile boolean closed;

    private ControlClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Connects and presents {@code token}; {@code onSupervisorLost} runs (on a daemon thread) if the channel ends. */
    public static ControlClient connect(String address, String token, Runnable onSupervisorLost) throws IOException {
        int colon = address.lastIndexOf(':');
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                10_000);
        ControlClient client = new ControlClient(socket);
        client.send("HELLO " + token + " " + ProcessHandle.current().pid());
        Thread watcher = new Thread(() -> client.watch(onSupervisorLost), "spindle-cluster-supervisor-watch");
        watcher.setDaemon(true);
        watcher.start();
        return client;
    }

    private void watch(Runnable onSupervisorLost) {
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // the supervisor sends nothing; reading only detects its end
            }
        } catch (IOException e) {
            log.debug("Control channel read failed: {}", e.toString());
        }
        if (!closed) {
            onSupervisorLost.run();
        }
    }

    /** Tells the supervisor this worker serves, with its metrics port (-1 for none). */
    public void ready(int metricsPort) throws IOException {
        send("READY " + metricsPort);
    }

    /** Asks the supervisor to replace every worker, one at a time. */
    public void requestRollingRestart() throws IOException {
        send("ROLLING-RESTART");
    }

    private synchronized void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing the control channel: {}", e.toString());
        }
    }
}
