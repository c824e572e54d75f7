package dev.spindle.cluster.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts workers as {@code java <options> -cp <this class path> <main> <args>}: the same jar, main
 * class and arguments as the supervisor, with the worker's own JVM options, its slot, the shared
 * port and the control channel as system properties (they win over the environment and files),
 * and the control token in the environment (not on the command line, where {@code ps} shows it).
 * Output goes where the supervisor's goes, so one log stream holds every process.
 */
public final class JavaWorkerLauncher implements WorkerLauncher {

    /**
     * {@code setsid} where there is one: each worker in a session of its own, so the Ctrl-C a
     * terminal sends to its foreground process group reaches the supervisor only, which then
     * drains the workers once (a worker signalled twice would stop at once). It execs, so the
     * worker keeps the process id the supervisor sees.
     */
    private static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(path -> Files.isExecutable(Path.of(path))).findFirst();

    private final List<String> jvmOptions;
    private final String mainClass;
    private final List<String> args;
    private final Map<String, String> properties;
    private final String controlAddress;
    private final String controlToken;

    public JavaWorkerLauncher(List<String> jvmOptions, String mainClass, List<String> args,
                              Map<String, String> properties, String controlAddress, String controlToken) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.properties = Map.copyOf(properties);
        this.controlAddress = controlAddress;
        this.controlToken = controlToken;
    }

    /**
     * The supervisor's own JVM options minus its {@code -Dspindle.*} settings (workers always get
     * those, see {@link #inheritedSettings()}) and minus those a second JVM must not repeat (a
     * debugger's or an agent's port, a JMX port, a CDS archive written at exit): workers inherit
     * the heap settings unless {@code cluster.worker-jvm-options} says otherwise.
     */
    public static List<String> inheritedJvmOptions() {
        List<String> options = new ArrayList<>();
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Dcom.sun.management.jmxremote.port")
                    || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-Dspindle.")) {
                continue;
            }
            options.add(option);
        }
        return options;
    }

    /** The supervisor's {@code -Dspindle.*} settings: the workers' configuration is the supervisor's. */
    public static List<String> inheritedSettings() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-Dspindle.") && !option.startsWith("-Dspindle.cluster.workers="))
                .toList();
    }

    /** Splits {@code cluster.worker-jvm-options} on white space. */
    public static List<String> parseOptions(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    @Override
    public Process start(int slot, int metricsPort) throws IOException {
        List<String> command = new ArrayList<>();
        SETSID.ifPresent(command::add);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dspindle.cluster.workers=1");
        command.add("-Dspindle.cluster.worker-id=" + slot);
        command.add("-Dspindle.cluster.metrics-port=" + metricsPort);
        command.add("-Dspindle.cluster.control-address=" + controlAddress);
        command.add("-Dspindle.server.shared-port=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("SPINDLE_CLUSTER_CONTROL_TOKEN", controlToken);
        return builder.start();
    }
}
