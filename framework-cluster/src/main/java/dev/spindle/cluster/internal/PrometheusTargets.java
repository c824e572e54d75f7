package dev.spindle.cluster.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes Prometheus's {@code file_sd_configs} file: one target group per worker metrics endpoint
 * (label {@code worker}) and one for the supervisor (label {@code role="supervisor"}). Replaced
 * atomically (write beside, then rename), so Prometheus never reads half a file.
 */
final class PrometheusTargets {

    /** One scrape target. */
    record Target(String address, Map<String, String> labels) {}

    private final Path file;

    PrometheusTargets(Path file) {
        this.file = file;
    }

    void write(List<Target> targets) {
        String json = targets.stream().map(target -> "  {\"targets\": [\"" + target.address() + "\"], \"labels\": {"
                        + target.labels().entrySet().stream()
                                .map(label -> "\"" + label.getKey() + "\": \"" + label.getValue() + "\"")
                                .collect(Collectors.joining(", ")) + "}}")
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(temporary, json);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Prometheus targets file " + file, e);
        }
    }
}
