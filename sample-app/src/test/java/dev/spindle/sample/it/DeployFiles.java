package dev.spindle.sample.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Local copies of the files in {@code deploy/}: the same settings, pointed at processes on this
 * machine instead of the compose service names, which do not resolve here. Each rewrite must
 * find exactly the lines it expects, so a change to the deployed file that the copy would miss
 * fails the test instead of testing something else.
 */
public final class DeployFiles {

    /** The repository's {@code deploy/} folder. */
    public static final Path DEPLOY = Path.of(System.getProperty("deploy.dir", "../deploy"));

    private static final String PROXY_HEADERS = "spindle_proxy_headers.conf";
    private static final Pattern PID = Pattern.compile("(?m)^pid\\s+\\S+;$");
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen\\s+80;$");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*)server\\s+app\\d+:8080((?:\\s+[^;]+)?);\\n");
    private static final Pattern HTTP_BLOCK = Pattern.compile("(?m)^http \\{$");
    private static final Pattern SCRAPE_INTERVAL = Pattern.compile("(?m)^(  scrape_interval: )\\S+$");
    private static final Pattern EVALUATION_INTERVAL = Pattern.compile("(?m)^(  evaluation_interval: )\\S+$");
    private static final Pattern SELF_TARGET = Pattern.compile("(?m)^(\\s*- targets: )\\['localhost:9090'\\]$");
    private static final Pattern SCRAPE_TARGETS = Pattern.compile("(?m)^(\\s*- targets: )\\['app1:8080'[^\\]]*\\]$");

    private DeployFiles() {}

    /**
     * {@code deploy/nginx/nginx.conf} listening on {@code 127.0.0.1:listenPort} with one upstream
     * server per port in {@code upstreamPorts} (same parameters), its pid file and temporary
     * files in {@code workDir}, written to {@code workDir/nginx.conf}.
     */
    public static Path localNginx(int listenPort, List<Integer> upstreamPorts, List<String> tempPathModules,
                                  Path workDir) throws IOException {
        String conf = Files.readString(DEPLOY.resolve("nginx/nginx.conf"));
        conf = replaceOnce(conf, PID, "pid " + workDir.resolve("nginx.pid") + ";");
        conf = replaceOnce(conf, LISTEN, "$1listen 127.0.0.1:" + listenPort + ";");

        Matcher servers = UPSTREAM_SERVER.matcher(conf);
        List<String> found = new ArrayList<>();
        StringBuilder rewritten = new StringBuilder();
        while (servers.find()) {
            String replacement = "";
            if (found.isEmpty()) {
                String indent = servers.group(1);
                String parameters = servers.group(2);
                replacement = upstreamPorts.stream()
                        .map(port -> indent + "server 127.0.0.1:" + port + parameters + ";\n")
                        .collect(Collectors.joining());
            }
            found.add(servers.group());
            servers.appendReplacement(rewritten, Matcher.quoteReplacement(replacement));
        }
        servers.appendTail(rewritten);
        if (found.size() < 2) {
            throw new IllegalStateException("Expected the upstream servers app1:8080, app2:8080, ... in nginx.conf, found "
                    + found);
        }
        conf = rewritten.toString();

        StringBuilder temp = new StringBuilder("http {\n");
        for (String module : tempPathModules) {
            temp.append("    ").append(module).append("_temp_path ").append(workDir.resolve(module)).append(";\n");
        }
        conf = replaceOnce(conf, HTTP_BLOCK, Matcher.quoteReplacement(temp.toString().stripTrailing()));

        Path file = workDir.resolve("nginx.conf");
        Files.writeString(file, conf);
        // Included by a path relative to nginx.conf's directory, as in the container's /etc/nginx.
        Files.copy(DEPLOY.resolve("nginx/" + PROXY_HEADERS), workDir.resolve(PROXY_HEADERS),
                StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /**
     * {@code deploy/prometheus/prometheus.yml} scraping {@code 127.0.0.1} on {@code ports}, written
     * to {@code dir} with the alert rules beside it, intervals unchanged.
     */
    public static Path localPrometheus(List<Integer> ports, Path dir) throws IOException {
        return localPrometheus(ports, Optional.empty(), dir);
    }

    /**
     * As {@link #localPrometheus(List, Path)}, scraping and evaluating every {@code interval}
     * when given (a test cannot wait for 15 s scrapes); the rules themselves are unchanged.
     */
    public static Path localPrometheus(List<Integer> ports, Optional<Duration> interval, Path dir) throws IOException {
        return localPrometheus(ports, interval, 9090, dir);
    }

    /** As {@link #localPrometheus(List, Optional, Path)}, for a Prometheus that listens on {@code ownPort}. */
    public static Path localPrometheus(List<Integer> ports, Optional<Duration> interval, int ownPort, Path dir)
            throws IOException {
        String yml = Files.readString(DEPLOY.resolve("prometheus/prometheus.yml"));
        yml = replaceOnce(yml, SELF_TARGET, "$1['127.0.0.1:" + ownPort + "']");
        String targets = ports.stream().map(port -> "'127.0.0.1:" + port + "'").collect(Collectors.joining(", "));
        yml = replaceOnce(yml, SCRAPE_TARGETS, "$1[" + Matcher.quoteReplacement(targets) + "]");
        if (interval.isPresent()) {
            String seconds = interval.get().toSeconds() + "s";
            yml = replaceOnce(yml, SCRAPE_INTERVAL, "$1" + seconds);
            yml = replaceOnce(yml, EVALUATION_INTERVAL, "$1" + seconds);
        }
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, yml);
        Files.copy(DEPLOY.resolve("prometheus/alerts.yml"), dir.resolve("alerts.yml"), StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static String replaceOnce(String text, Pattern pattern, String replacement) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        if (count != 1) {
            throw new IllegalStateException("Expected exactly one line matching " + pattern + ", found " + count);
        }
        return pattern.matcher(text).replaceFirst(replacement);
    }
}
