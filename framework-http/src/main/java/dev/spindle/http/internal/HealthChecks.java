package dev.spindle.http.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Config;
import dev.spindle.core.Metrics;
import dev.spindle.http.HealthCheck;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.Routes;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * An app's readiness checks and health groups, and the built-in routes that serve them with the
 * metrics and liveness endpoints. The routes are declared at most once each: a start that failed
 * has declared them already, and the checks are read live, so those added before a retry count.
 */
public final class HealthChecks {

    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();
    private final Map<String, Map<String, HealthCheck>> groups = new LinkedHashMap<>();
    private final Set<String> declaredGroups = new HashSet<>();
    private boolean endpointsDeclared;

    /** Adds a readiness check. */
    public void add(String name, HealthCheck check) {
        readiness.put(requireNonNull(name, "name"), requireNonNull(check, "check"));
    }

    /** Adds a check to a health group, served beside readiness and not part of it. */
    public void add(String group, String name, HealthCheck check) {
        if (!requireNonNull(group, "group").matches("[a-z0-9][a-z0-9-]*") || group.equals("ready")
                || group.equals("live")) {
            throw new IllegalArgumentException("group: '" + group + "' (expected: lower-case letters, digits and "
                    + "'-', not ready or live)");
        }
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>())
                .put(requireNonNull(name, "name"), requireNonNull(check, "check"));
    }

    /** Declares the metrics, liveness, readiness and group routes not declared yet. */
    public void declare(Routes routes, Config config, Metrics metrics, BooleanSupplier draining) {
        String readyPath = config.get(HttpSettings.READY_PATH);
        if (!endpointsDeclared) {
            BuiltinEndpoints.register(routes, config.get(HttpSettings.METRICS_PATH), config.get(HttpSettings.LIVE_PATH),
                    readyPath, metrics, Collections.unmodifiableMap(readiness), draining);
            endpointsDeclared = true;
        }
        Map<String, Map<String, HealthCheck>> undeclared = new LinkedHashMap<>(groups);
        undeclared.keySet().removeAll(declaredGroups);
        BuiltinEndpoints.registerGroups(routes, readyPath, undeclared);
        declaredGroups.addAll(undeclared.keySet());
    }
}
