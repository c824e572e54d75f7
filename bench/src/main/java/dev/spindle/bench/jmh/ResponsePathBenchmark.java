package dev.spindle.bench.jmh;

import dev.spindle.bench.netty.NettyBenchHandler;
import dev.spindle.bench.spindle.SpindleBenchServer;
import dev.spindle.core.Config;
import dev.spindle.core.Metrics;
import dev.spindle.core.WorkerPool;
import dev.spindle.http.internal.HttpServer;
import dev.spindle.http.internal.RouteCollector;
import dev.spindle.http.internal.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request through the whole server pipeline, bytes in to bytes out, without sockets: an
 * {@code EmbeddedChannel} carrying Spindle's real pipeline (request decoder with limits, encoder,
 * connection, router with the bench's 100 routes, metrics with the Prometheus registry, request
 * id, {@code Response.json} serialised by Jackson, response encoder) next to the raw Netty bench
 * handler on the same codec. This is the CPU a request costs on the loop, which is what bounds
 * throughput once the syscalls are paid; the difference between the two is Spindle's overhead,
 * and {@code /json} against {@code /plaintext} isolates the JSON path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponsePathBenchmark {

    @Param({"/json", "/plaintext", "/users/42"})
    String path;

    private ByteBuf request;
    private EmbeddedChannel spindle;
    private EmbeddedChannel netty;
    private Metrics metrics;
    private WorkerPool offload;
    private WorkerPool blocking;
    private ExecutorService cpu;

    @Setup
    public void setUp() {
        request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
                ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n").getBytes(CharsetUtil.US_ASCII)));
        Config config = Config.builder().build();
        RouteCollector routes = new RouteCollector();
        SpindleBenchServer.declare(routes.root());
        metrics = Metrics.prometheus();
        offload = WorkerPool.create("offload", 1, 16, metrics.registry());
        blocking = WorkerPool.create("blocking", 1, 16, metrics.registry());
        ServerContext server = ServerContext.assemble(config, routes, Map.of(), JsonMapper.builder().build(),
                metrics.registry(), offload, blocking);
        spindle = new EmbeddedChannel();
        HttpServer.install(spindle, server);
        spindle.pipeline().fireChannelActive();
        cpu = Executors.newSingleThreadExecutor();
        netty = new EmbeddedChannel(new HttpServerCodec(), new NettyBenchHandler(cpu));
        if (exchange(spindle) == 0 || exchange(netty) == 0) {
            throw new IllegalStateException("No response to " + path);
        }
    }

    @TearDown
    public void tearDown() {
        spindle.finishAndReleaseAll();
        netty.finishAndReleaseAll();
        offload.close();
        blocking.close();
        metrics.close();
        cpu.shutdownNow();
    }

    @Benchmark
    public int spindle() {
        return exchange(spindle);
    }

    @Benchmark
    public int rawNetty() {
        return exchange(netty);
    }

    /** Writes one request, drains the response bytes, and returns their count. */
    private int exchange(EmbeddedChannel channel) {
        channel.writeInbound(request.duplicate());
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }
}
