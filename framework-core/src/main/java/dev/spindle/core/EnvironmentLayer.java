package dev.spindle.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads settings from environment variables, which the platform shares with the operator: a
 * variable the platform injected must never stop start-up. A {@code SPINDLE_*} name that no
 * setting declares is ignored with one WARN per process (one INFO for Kubernetes service links),
 * and a service-link value ({@code tcp://10.0.0.5:8080}) on a setting's {@code *_PORT} name is
 * never read as that setting.
 */
final class EnvironmentLayer {

    private static final Logger log = LoggerFactory.getLogger(Config.class);
    private static final String PREFIX = "SPINDLE_";
    /** What Kubernetes injects for each Service in the namespace (Service {@code spindle-api}: {@code SPINDLE_API_…}). */
    private static final Pattern LINK_NAME = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
    private static final Pattern LINK_VALUE = Pattern.compile("(tcp|udp|sctp)://\\S+:[0-9]+");
    /** Names already reported in this process: a warning says its piece once, however often config is loaded. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private EnvironmentLayer() {}

    /** The values {@code environment} sets, by setting key; what it cannot use is reported and left out. */
    static Map<String, Config.Value> read(Map<String, String> environment, Map<String, Setting<?>> known) {
        Map<String, Setting<?>> byName = new HashMap<>();
        for (Setting<?> setting : known.values()) {
            byName.put(setting.envName(), setting);
        }
        Map<String, Config.Value> values = new LinkedHashMap<>();
        for (Setting<?> setting : known.values()) {
            for (String alias : setting.envAliases()) {
                String value = environment.get(alias);
                if (value != null && usable(environment, setting.envName()) == null) {
                    values.put(setting.key(), new Config.Value(setting.key(), value, "environment variable " + alias));
                }
            }
        }
        List<String> links = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(PREFIX) || name.equals(Config.FILE_ENV)) {
                continue;
            }
            Setting<?> setting = byName.get(name);
            if (setting != null && usable(environment, name) != null) {
                values.put(setting.key(), new Config.Value(setting.key(), variable.getValue(),
                        "environment variable " + name));
            } else if (setting != null) {
                once(name, () -> log.warn("Ignoring environment variable {}={}: it looks like a Kubernetes service link,"
                        + " not a value for '{}'; rename the Service or set enableServiceLinks: false on the pod",
                        name, variable.getValue(), setting.key()));
            } else if (LINK_NAME.matcher(name).matches()) {
                links.add(name);
            } else {
                once(name, () -> log.warn("Ignoring environment variable {}: no setting is named so{}", name,
                        suggestion(name, byName.keySet())));
            }
        }
        links.removeIf(name -> !REPORTED.add(name));
        if (!links.isEmpty()) {
            log.info("Ignoring environment variables that look like Kubernetes service links (set enableServiceLinks:"
                    + " false on the pod to drop them): {}", String.join(", ", links));
        }
        return values;
    }

    /** The variable's value, or null when it is unset or a service link rather than a setting's value. */
    private static String usable(Map<String, String> environment, String name) {
        String value = environment.get(name);
        boolean link = value != null && LINK_NAME.matcher(name).matches() && LINK_VALUE.matcher(value.trim()).matches();
        return link ? null : value;
    }

    private static void once(String name, Runnable report) {
        if (REPORTED.add(name)) {
            report.run();
        }
    }

    /** {@code " (did you mean SPINDLE_SERVER_PORT?)"} for a name within two edits of a known one, else empty. */
    static String suggestion(String name, Set<String> knownNames) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : knownNames) {
            int distance = distance(name, candidate, bestDistance);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance, or {@code limit} once it is certain to reach it. */
    private static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit);
    }
}
