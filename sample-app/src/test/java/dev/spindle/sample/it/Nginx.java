package dev.spindle.sample.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A local nginx in the foreground, run from a generated copy of {@code deploy/nginx/nginx.conf}. */
public final class Nginx implements AutoCloseable {

    private static final Pattern TEMP_PATH = Pattern.compile("--http-(client-body|proxy|fastcgi|uwsgi|scgi)-temp-path=");

    private final Process process;
    private final Path log;

    private Nginx(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Checks the copy with {@code nginx -t} and starts nginx on it; fails with nginx's own
     * message when the configuration is refused.
     */
    public static Nginx start(Path nginx, int listenPort, List<Integer> upstreamPorts, Path workDir)
            throws IOException, InterruptedException {
        Path conf = check(nginx, listenPort, upstreamPorts, workDir);
        List<String> run = new ArrayList<>(List.of(nginx.toString(), "-p", workDir.toString(), "-c", conf.toString()));
        run.addAll(List.of("-g", "daemon off;"));
        Path log = workDir.resolve("nginx.out");
        Process process = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Nginx(process, log);
    }

    /**
     * Writes the local copy of {@code deploy/nginx/nginx.conf} to {@code workDir} and checks it with
     * {@code nginx -t}; returns its path, or fails with nginx's own message.
     */
    public static Path check(Path nginx, int listenPort, List<Integer> upstreamPorts, Path workDir)
            throws IOException, InterruptedException {
        Path conf = DeployFiles.localNginx(listenPort, upstreamPorts, tempPathModules(nginx), workDir);
        Tools.Result checked = Tools.run(List.of(nginx.toString(), "-p", workDir.toString(), "-c", conf.toString(), "-t"));
        System.out.println("[nginx -t] " + checked.output().strip());
        if (checked.status() != 0) {
            throw new IllegalStateException("nginx -t refused the generated copy of deploy/nginx/nginx.conf:\n"
                    + checked.output());
        }
        return conf;
    }

    /** The {@code *_temp_path} directives this build of nginx knows (one per compiled-in module). */
    private static List<String> tempPathModules(Path nginx) throws IOException, InterruptedException {
        Matcher matcher = TEMP_PATH.matcher(Tools.run(List.of(nginx.toString(), "-V")).output());
        List<String> modules = new ArrayList<>();
        while (matcher.find()) {
            modules.add(matcher.group(1).replace('-', '_'));
        }
        return modules;
    }

    /** Whether nginx is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** nginx's output (its access and error logs), for failure messages. */
    public Path log() {
        return log;
    }

    /** Stops nginx quickly (SIGTERM) and waits for it. */
    @Override
    public void close() {
        Tools.stop(process, Duration.ofSeconds(10));
    }
}
