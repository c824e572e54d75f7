package dev.spindle.sample.it;

import static dev.spindle.sample.it.StackIT.millisSince;
import static dev.spindle.sample.it.StackIT.print;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link StackIT}'s cluster step: the sample in cluster mode, one of its workers killed under traffic. */
final class StackCluster {

    private StackCluster() {}

    /**
     * A fourth instance in cluster mode (its own port, Redis shared): a worker killed with SIGKILL
     * under traffic is replaced by the supervisor, and only requests in flight while it died fail.
     * Stopped afterwards with SIGTERM, which drains both workers.
     */
    static void killingAWorkerFailsAtMostItsRequestsInFlight(Running running, Map<String, String> env) throws Exception {
        int adminPort = FreePorts.next();
        Map<String, String> clusterEnv = new HashMap<>(env);
        clusterEnv.put("INSTANCE_ID", "app4");
        clusterEnv.put("SPINDLE_CLUSTER_WORKERS", "2");
        clusterEnv.put("SPINDLE_CLUSTER_ADMIN_PORT", Integer.toString(adminPort));
        long starting = System.nanoTime();
        SampleProcess app4 = running.started(SampleProcess.start("app4", clusterEnv));
        ClusterAdmin admin = new ClusterAdmin(adminPort);
        app4.awaitReady();
        await("two ready workers of app4").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.allReady(2));
        List<ClusterAdmin.Worker> workers = admin.workers();
        print("app4 in cluster mode on %d: workers %s ready after %d ms", app4.port(), workers, millisSince(starting));

        ClusterAdmin.Worker victim = workers.get(0);
        ProcessHandle victimProcess = ProcessHandle.of(victim.pid()).orElseThrow();
        Traffic traffic = Traffic.start(app4.http(), 4);
        int inFlightAtKill;
        int inFlightWhileDying;
        long replacedAfter;
        try {
            await("traffic to app4 before the kill").atMost(Duration.ofSeconds(30)).until(() -> traffic.ok() >= 100);
            int finishedAtKill = traffic.finished();
            inFlightAtKill = traffic.inFlight();
            long killedAt = System.nanoTime();
            victimProcess.destroyForcibly();
            await("worker " + victim.pid() + " dead").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !victimProcess.isAlive());
            // Every request that was in flight at some moment between the signal and the death.
            inFlightWhileDying = traffic.started() - finishedAtKill;
            await("the supervisor replaced worker " + victim.slot()).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100)).until(() -> admin.allReady(2)
                            && admin.workers().stream().noneMatch(worker -> worker.pid() == victim.pid()));
            replacedAfter = millisSince(killedAt);
            int okAtReplacement = traffic.ok();
            await("traffic to app4 after the kill").atMost(Duration.ofSeconds(60))
                    .until(() -> traffic.ok() >= okAtReplacement + 200);
        } finally {
            traffic.stop();
        }
        List<String> failures = traffic.failures();
        print("killed app4's worker %d (pid %d, SIGKILL) under %d clients: replaced by the supervisor after %d ms "
                + "(workers now %s); %d requests in flight at the kill, %d while it died, %d succeeded, %d failed %s",
                victim.slot(), victim.pid(), traffic.clients(), replacedAfter, admin.workers(), inFlightAtKill,
                inFlightWhileDying, traffic.ok(), failures.size(), failures);
        assertThat(failures.size()).as("failed requests (at most those in flight while the worker died)")
                .isLessThanOrEqualTo(inFlightWhileDying);
        app4.terminate();
        assertThat(app4.awaitExit(Duration.ofSeconds(90))).as("app4's exit status after SIGTERM").isZero();
        print("app4 stopped with SIGTERM: supervisor and workers drained, exit status 0");
    }
}
