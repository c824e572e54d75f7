package dev.spindle.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.cluster.internal.Supervisor;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The supervisor as a real process over real worker JVMs sharing one port. */
class SupervisorProcessTest {

    @Test
    void workersShareOnePortAndAKilledWorkerIsReplacedWhileThePortKeepsAnswering() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of("http.request-deadline", "7s"))) {
            List<ClusterProcess.Worker> workers = cluster.awaitReady(2);
            assertThat(cluster.get("/config/http.request-deadline")).as("the supervisor's settings reach the workers")
                    .isEqualTo("PT7S");
            Set<String> answered = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                answered.add(cluster.pid());
                return answered.size() == 2;
            });
            assertThat(answered).containsExactlyInAnyOrderElementsOf(
                    workers.stream().map(worker -> String.valueOf(worker.pid())).toList());

            ClusterProcess.Worker victim = workers.get(0);
            ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
            int ok = 0;
            int failed = 0;
            long killedAt = System.nanoTime();
            while (true) {
                try {
                    cluster.pid();
                    ok++;
                } catch (IOException | AssertionError e) {
                    failed++;
                }
                List<ClusterProcess.Worker> now = cluster.workers();
                if (now.size() == 2 && now.stream().allMatch(w -> w.state().equals("ready"))
                        && now.stream().noneMatch(w -> w.pid() == victim.pid())) {
                    break;
                }
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("replacement within 90 s").isLessThan(Duration.ofSeconds(90));
            }
            System.out.printf("SIGKILL of worker %d (pid %d): replaced after %d ms; meanwhile %d requests answered, %d failed%n",
                    victim.slot(), victim.pid(), Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), ok, failed);
            assertThat(ok).as("the port kept answering while the worker was replaced").isPositive();
            for (int i = 0; i < 20; i++) {
                cluster.pid();
            }
            assertThat(cluster.log()).contains("died with status").contains("replacing it");
            assertThat(cluster.admin("GET", "/metrics").body())
                    .contains("spindle_cluster_worker_exits_total{cause=\"crashed\"} 1.0")
                    .contains("spindle_cluster_worker_restarts_total 1.0");
        }
    }

    @Test
    void theCrashLoopGuardStopsRespawningAndExitsNonZero() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of("cluster.crash-loop-limit", "3",
                "cluster.restart-backoff", "50ms"), "--crash-at-start")) {
            int status = cluster.awaitExit(Duration.ofSeconds(120));

            System.out.printf("Crash-loop guard: supervisor exited with status %d%n", status);
            assertThat(status).isEqualTo(Supervisor.CRASH_LOOP_EXIT);
            assertThat(cluster.log()).contains("Crash loop: worker").contains("3 times in a row")
                    .contains("exiting with status 70")
                    .as("the backoff doubles with each death before readiness")
                    .contains("will be replaced in 50 ms").contains("will be replaced in 100 ms");
            assertThat(cluster.process.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        }
    }

    @Test
    void sigtermDrainsEveryWorkerAndExitsZero() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of())) {
            List<ClusterProcess.Worker> workers = cluster.awaitReady(2);

            cluster.signal("TERM");

            assertThat(cluster.awaitExit(Duration.ofSeconds(60))).isZero();
            for (ClusterProcess.Worker worker : workers) {
                assertThat(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            }
            assertThat(cluster.log()).contains("Stopping the cluster (signal)").contains("Stopped after");
        }
    }

    // Workers run in sessions of their own (so Ctrl-C reaches the supervisor only): without their
    // supervisor they must still stop, or a kill -9 of it would leave them serving unsupervised.
    @Test
    void workersStopWhenTheirSupervisorIsKilled() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(2, Map.of())) {
            List<ClusterProcess.Worker> workers = cluster.awaitReady(2);

            cluster.signal("KILL");

            await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream()
                    .noneMatch(worker -> ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false)));
        }
    }
}
