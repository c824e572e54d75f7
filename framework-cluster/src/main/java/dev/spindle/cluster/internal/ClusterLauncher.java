package dev.spindle.cluster.internal;

import dev.spindle.cluster.Cluster;
import dev.spindle.cluster.ClusterSettings;
import dev.spindle.cluster.ClusterWorker;
import dev.spindle.core.Config;
import dev.spindle.core.Signals;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Spindle;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@link Cluster#launch} does: run the app, be a worker, or be the supervisor. */
public final class ClusterLauncher {

    private static final Logger log = LoggerFactory.getLogger(ClusterLauncher.class);

    private static volatile ClusterWorker worker;

    private ClusterLauncher() {}

    public static Optional<ClusterWorker> worker() {
        return Optional.ofNullable(worker);
    }

    public static void launch(Config config, Class<?> mainClass, String[] args, Cluster.App app) throws Exception {
        if (config.get(ClusterSettings.WORKER_ID) > 0) {
            runWorker(config, app);
        } else if (config.get(ClusterSettings.WORKERS) > 1) {
            System.exit(supervise(config, mainClass, args));
        } else {
            app.start();
        }
    }

    private static void runWorker(Config config, Cluster.App app) throws Exception {
        int id = config.get(ClusterSettings.WORKER_ID);
        Spindle spindle = app.start();
        int metricsPort = -1;
        int requested = config.get(ClusterSettings.METRICS_PORT);
        if (requested >= 0 && spindle.meterRegistry() instanceof PrometheusMeterRegistry registry) {
            AdminEndpoint endpoint = AdminEndpoint.start(config.get(ClusterSettings.METRICS_HOST), requested,
                    "spindle-cluster-metrics").metrics("/metrics", registry);
            spindle.closeOnStop(endpoint);
            metricsPort = endpoint.port();
        }
        String address = config.get(ClusterSettings.CONTROL_ADDRESS).orElseThrow(() -> new IllegalStateException(
                "cluster.worker-id is set but cluster.control-address is not: workers are started by the supervisor"));
        String token = config.get(ClusterSettings.CONTROL_TOKEN).orElse("");
        ControlClient control;
        try {
            control = ControlClient.connect(address, token, () -> {
                log.warn("Worker {}: the cluster supervisor is gone; stopping so that no worker runs unsupervised", id);
                spindle.stop();
                System.exit(0);
            });
        } catch (IOException | RuntimeException e) {
            log.error("Worker {}: cannot reach the cluster supervisor at {} ({}); stopping", id, address, e.toString());
            spindle.stop();
            System.exit(1);
            return;
        }
        spindle.closeOnStop(control);
        worker = new ClusterWorker() {
            @Override
            public int id() {
                return id;
            }

            @Override
            public void requestRollingRestart() {
                try {
                    control.requestRollingRestart();
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot reach the cluster supervisor", e);
                }
            }
        };
        control.ready(metricsPort);
    }

    private static int supervise(Config config, Class<?> mainClass, String[] args) throws Exception {
        SupervisorOptions options = SupervisorOptions.from(config);
        String host = config.get(HttpSettings.HOST);
        int port = config.get(HttpSettings.PORT);
        if (port == 0) {
            port = freePort(host);
            log.info("server.port is 0: the workers share port {}", port);
        }
        warnWithoutRequestMigration();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new UptimeMetrics().bindTo(registry);
        ControlServer control = ControlServer.open();
        List<String> jvmOptions = new ArrayList<>(config.get(ClusterSettings.WORKER_JVM_OPTIONS)
                .map(JavaWorkerLauncher::parseOptions).orElseGet(JavaWorkerLauncher::inheritedJvmOptions));
        log.info("Workers start with the JVM options {} ({})", jvmOptions,
                config.isSet(ClusterSettings.WORKER_JVM_OPTIONS) ? "cluster.worker-jvm-options"
                        : "the supervisor's own; set cluster.worker-jvm-options to size each worker's heap");
        jvmOptions.addAll(JavaWorkerLauncher.inheritedSettings());
        JavaWorkerLauncher launcher = new JavaWorkerLauncher(jvmOptions,
                mainClass.getName(), Arrays.asList(args), Map.of("spindle.server.port", String.valueOf(port)),
                control.address(), control.token());
        AdminEndpoint admin = null;
        int adminPort = config.get(ClusterSettings.ADMIN_PORT);
        String adminHost = config.get(ClusterSettings.ADMIN_HOST);
        if (adminPort >= 0) {
            admin = AdminEndpoint.start(adminHost, adminPort, "spindle-cluster-admin");
        }
        Optional<String> adminTarget = Optional.ofNullable(admin).map(endpoint -> adminHost + ":" + endpoint.port());
        Supervisor supervisor = new Supervisor(options, launcher,
                new MetricsPorts(config.get(ClusterSettings.METRICS_HOST), config.get(ClusterSettings.METRICS_PORT),
                        options.workers()),
                registry, config.get(ClusterSettings.PROMETHEUS_SD_FILE).map(Path::of).map(PrometheusTargets::new),
                adminTarget);
        control.accept(supervisor);
        if (admin != null) {
            SupervisorRoutes.install(admin, supervisor, registry);
            log.info("Cluster admin endpoint on http://{}:{} (GET /cluster/workers, POST /cluster/rolling-restart, "
                    + "GET /metrics)", adminHost, admin.port());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        if (config.get(dev.spindle.core.CoreSettings.SHUTDOWN_ON_SIGNAL)) {
            Signals.onTerminate(() -> {
                supervisor.stop("signal");
                awaitQuietly(stopped, options.stopTimeout().toMillis() + 10_000);
            });
        }
        Signals.onHangUp(() -> supervisor.rollingRestart("SIGHUP"));
        int status;
        try {
            status = supervisor.run();
        } finally {
            control.close();
            if (admin != null) {
                admin.close();
            }
            stopped.countDown();
        }
        return status;
    }

    /**
     * When a worker closes its listening socket, Linux resets the connections still waiting in
     * that socket's accept queue unless {@code net.ipv4.tcp_migrate_req} moves them to another
     * worker's socket (Linux 5.14+). Keep-alive clients rarely meet this; clients opening a
     * connection per request during a rolling restart may.
     */
    private static void warnWithoutRequestMigration() {
        Path sysctl = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
        try {
            if (java.nio.file.Files.isReadable(sysctl) && java.nio.file.Files.readString(sysctl).trim().equals("0")) {
                log.info("net.ipv4.tcp_migrate_req is 0: connections waiting in a stopping worker's accept queue are "
                        + "reset rather than moved to another worker; set it to 1 for restarts that also spare "
                        + "clients opening a connection per request");
            }
        } catch (IOException e) {
            log.debug("Cannot read {}: {}", sysctl, e.toString());
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }
}
