import dev.spindle.bench.jmh.ResponsePathBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread CPU time per request through ResponsePathBenchmark's two pipelines (Spindle, raw Netty),
 * alternated in 9 rounds: steadier than wall time on a shared machine, and it runs against any
 * build's benchmarks.jar (a source-file program), so two commits can be compared side by side:
 * {@code java -cp bench/target/benchmarks.jar bench/cpu/CpuPerRequest.java /plaintext 200000}.
 */
public class CpuPerRequest {
    public static void main(String[] args) throws Exception {
        String path = args[0];
        int n = Integer.parseInt(args[1]);
        ResponsePathBenchmark bench = new ResponsePathBenchmark();
        var field = ResponsePathBenchmark.class.getDeclaredField("path");
        field.setAccessible(true);
        field.set(bench, path);
        bench.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n * 4; i++) {
            bench.spindle();
            bench.rawNetty();
        }
        double[] spindle = new double[9];
        double[] netty = new double[9];
        for (int round = 0; round < 9; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                bench.spindle();
            }
            long c1 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                bench.rawNetty();
            }
            long c2 = threads.getCurrentThreadCpuTime();
            spindle[round] = (c1 - c0) / (double) n;
            netty[round] = (c2 - c1) / (double) n;
        }
        java.util.Arrays.sort(spindle);
        java.util.Arrays.sort(netty);
        System.out.printf("%s spindle %.0f ns/req (min %.0f)  netty %.0f ns/req (min %.0f)  netty/spindle %.3f (of minima %.3f)%n",
                path, spindle[4], spindle[0], netty[4], netty[0], netty[4] / spindle[4], netty[0] / spindle[0]);
        bench.tearDown();
    }
}
