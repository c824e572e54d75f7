package dev.spindle.test.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process owned by a test, on a free port of 127.0.0.1, so that the test
 * may kill and restart it (fault tests). With {@link #withAppendOnly()} every write is fsynced to
 * an append-only file before it is acknowledged, so data survives {@link #kill()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.withAppendOnly().start()) {
 *     redis.kill();      // SIGKILL: clients see the connection drop
 *     redis.restart();   // same port, same data directory
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-server-reaper"));
    }

    private final boolean appendOnly;
    private Path directory;
    private int port;
    private Process process;

    private RedisServer(boolean appendOnly) {
        this.appendOnly = appendOnly;
    }

    /** A server without persistence; call {@link #start()}. */
    public static RedisServer inMemory() {
        return new RedisServer(false);
    }

    /** A server whose data survives a kill: AOF on, fsync on every write. */
    public static RedisServer withAppendOnly() {
        return new RedisServer(true);
    }

    /** Whether a {@code redis-server} executable is on the {@code PATH}. */
    public static boolean binaryAvailable() {
        return executable() != null;
    }

    /** Starts the process on a free port and waits until it answers {@code PING}. */
    public synchronized RedisServer start() {
        if (process != null) {
            throw new IllegalStateException("Already started on port " + port);
        }
        try {
            directory = Files.createTempDirectory("spindle-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = freePort();
            try {
                launch();
                return this;
            } catch (IllegalStateException e) {
                last = e; // another process took the port between probe and bind
            }
        }
        throw last;
    }

    /** Kills the process with SIGKILL, as a crash or an OOM kill would, and waits for it to exit. */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(running.pid())).start(); // a paused one dies too
        } catch (IOException e) {
            // SIGKILL works on a stopped process anyway on Linux.
        }
        try {
            running.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(running);
        process = null;
    }

    /** Freezes the process (SIGSTOP): connections stay open but nothing answers, like a hung server. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Thaws a {@link #pause() paused} process (SIGCONT). */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("Not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Starts the process again on the same port and data directory (after {@link #kill()}). */
    public synchronized void restart() {
        if (process != null) {
            throw new IllegalStateException("Still running on port " + port + "; kill() it first");
        }
        launch();
    }

    /** Whether the process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the process and deletes its data directory. */
    @Override
    public synchronized void close() {
        kill();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // A leftover temp directory is harmless.
            }
        }
    }

    @Override
    public String toString() {
        return "redis-server on port " + port + (appendOnly ? " (appendonly)" : "");
    }

    private void launch() {
        String executable = executable();
        if (executable == null) {
            throw new IllegalStateException("No redis-server on the PATH");
        }
        List<String> command = new ArrayList<>(List.of(executable, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", directory.toString(), "--save", "", "--daemonize", "no",
                "--protected-mode", "no", "--loglevel", "warning", "--appendonly", appendOnly ? "yes" : "no"));
        if (appendOnly) {
            command.addAll(List.of("--appendfsync", "always"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis.log").toFile()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + executable + ": " + e.getMessage(), e);
        }
        RUNNING.add(started);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                RUNNING.remove(started);
                throw new IllegalStateException("redis-server exited with " + started.exitValue() + " on port " + port
                        + ": " + log());
            }
            if (answersPing(port)) {
                process = started;
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        started.destroyForcibly();
        RUNNING.remove(started);
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s: " + log());
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("redis.log"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Whether Redis on {@code port} answers {@code PONG} (not {@code -LOADING}) right now. */
    static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return "+PONG".equals(line);
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
