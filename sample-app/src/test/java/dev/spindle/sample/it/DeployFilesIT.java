package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The stack's files checked offline, with the tools that will read them: docker-compose (no
 * engine needed), nginx, promtool, and the Grafana dashboard's JSON. Under {@code CI=true} a
 * missing tool fails the test. {@code deploy/validate.sh} runs the same checks from a shell.
 */
class DeployFilesIT {

    private static final Path ROOT = DeployFiles.DEPLOY.resolve("..");
    private static final Path PROMETHEUS = DeployFiles.DEPLOY.resolve("prometheus");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern MOUNT = Pattern.compile("(?m)^\\s*- \\./([^:]+):");

    @TempDir
    Path workDir;

    @Test
    void composeFileIsValidAndEveryMountedFileExists() throws Exception {
        Path compose = Tools.require("docker-compose", "docker-compose");
        Tools.Result config = Tools.run(List.of(compose.toString(), "-f", "docker-compose.yml", "config", "--quiet"),
                ROOT);
        assertThat(config.status()).as("docker-compose config --quiet:%n%s", config.output()).isZero();

        String yml = Files.readString(ROOT.resolve("docker-compose.yml"));
        Matcher mounts = MOUNT.matcher(yml);
        List<String> sources = new ArrayList<>();
        while (mounts.find()) {
            sources.add(mounts.group(1));
        }
        assertThat(sources).as("files mounted from the repository").contains("deploy/nginx/nginx.conf",
                "deploy/prometheus/alerts.yml", "deploy/grafana/provisioning", "deploy/grafana/dashboards");
        assertThat(sources).allSatisfy(source -> assertThat(ROOT.resolve(source)).exists());
        assertThat(yml).as("Redis keeps an append-only file on a volume").contains("\"--appendonly\", \"yes\"")
                .contains("redis-data:/data");
    }

    @Test
    void loadBalancerConfigurationPassesNginxCheck() throws Exception {
        Path nginx = Tools.require("nginx", "nginx-light");

        Path conf = Nginx.check(nginx, FreePorts.next(), List.of(FreePorts.next(), FreePorts.next(), FreePorts.next()),
                workDir);

        assertThat(Files.readString(conf)).contains("proxy_buffering off;", "proxy_set_header Upgrade $http_upgrade;",
                "keepalive 32;", "proxy_read_timeout");
    }

    @Test
    void prometheusConfigurationAndAlertRulesPassPromtool() throws Exception {
        String promtool = Tools.require("promtool", "prometheus").toString();

        assertSucceeds(Tools.run(List.of(promtool, "check", "config", "prometheus.yml"), PROMETHEUS));
        Tools.Result rules = Tools.run(List.of(promtool, "check", "rules", "alerts.yml"), PROMETHEUS);
        assertSucceeds(rules);
        assertThat(rules.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void everyAlertRuleHasAPassingUnitTest() throws Exception {
        String promtool = Tools.require("promtool", "prometheus").toString();
        Set<String> alerts = matches(Files.readString(PROMETHEUS.resolve("alerts.yml")), "(?m)^\\s*- alert: (\\S+)$");
        Set<String> tested = matches(Files.readString(PROMETHEUS.resolve("alerts.test.yml")),
                "(?m)^\\s*- alertname: (\\S+)$");

        assertThat(tested).as("alerts with a promtool unit test").isEqualTo(alerts);
        assertThat(alerts).contains("SpindleEventLoopLagHigh", "SpindleEventLoopBlocked", "SpindleOffloadRejections",
                "SpindleServerErrorRatioHigh", "SpindleRedisDisconnected", "SpindleJobsFailing", "SpindleInstanceDown");
        assertSucceeds(Tools.run(List.of(promtool, "test", "rules", "alerts.test.yml"), PROMETHEUS));
    }

    @Test
    void dashboardPanelsAllQueryTheProvisionedPrometheus() throws Exception {
        String datasources = Files.readString(DeployFiles.DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources).contains("uid: prometheus", "url: http://prometheus:9090");
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(Files.readString(DeployFiles.DEPLOY.resolve("grafana/dashboards/spindle.json")));
        assertThat(dashboard.get("uid").asString()).isEqualTo("spindle-service");

        Set<Integer> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("unique panel id %s", panel.get("id")).isTrue();
            if (panel.get("type").asString().equals("row")) {
                continue;
            }
            String title = panel.get("title").asString();
            titles.add(title);
            assertThat(panel.at("/datasource/uid").asString()).as("%s: data source", title).isEqualTo("prometheus");
            assertThat(panel.get("targets")).as("%s: queries", title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.path("expr").asString("")).as("%s: PromQL", title).isNotBlank();
            }
        }
        assertThat(String.join("\n", titles)).contains("Request rate", "Latency percentiles by route", "Error rate",
                "Event-loop lag p99 per loop", "Blocked-loop reports", "Offload queues", "Offload rejections",
                "Redis command latency", "Redis connection", "Job queue depth", "Job failures",
                "WebSocket and SSE connections");
    }

    @Test
    void composeServicesAreWiredAsDocumented() throws Exception {
        // As docker-compose resolves it (anchors and merge keys applied).
        Path compose = Tools.require("docker-compose", "docker-compose");
        Tools.Result config = Tools.run(List.of(compose.toString(), "-f", "docker-compose.yml", "config"), ROOT);
        assertThat(config.status()).as(config.output()).isZero();
        JsonNode services = YAML.readTree(config.output()).get("services");

        assertThat(services.propertyNames()).contains("app1", "app2", "app3", "lb", "redis", "prometheus", "grafana");
        for (String app : List.of("app1", "app2", "app3")) {
            JsonNode service = services.get(app);
            assertThat(service.at("/environment/REDIS_URL").asString()).isEqualTo("redis://redis:6379");
            assertThat(service.at("/environment/INSTANCE_ID").asString()).isEqualTo(app);
            assertThat(service.at("/healthcheck/test").toString()).contains("/health/ready");
            assertThat(services.at("/lb/depends_on/" + app + "/condition").asString()).isEqualTo("service_healthy");
        }
        assertThat(services.at("/redis/command").toString()).contains("\"--appendonly\",\"yes\"");
        assertThat(services.at("/grafana/depends_on/prometheus/condition").asString()).isEqualTo("service_healthy");
    }

    @Test
    void kubernetesManifestsKeepTheSamePromises() throws Exception {
        Map<String, JsonNode> objects = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DeployFiles.DEPLOY.resolve("k8s"), "*.yaml")) {
            for (Path file : files) {
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
                    while (documents.hasNext()) {
                        JsonNode object = documents.next();
                        objects.put(object.get("kind").asString() + "/" + object.at("/metadata/name").asString(), object);
                    }
                }
            }
        }
        assertThat(objects).containsKeys("Deployment/sample-app", "Service/sample-app", "HorizontalPodAutoscaler/sample-app",
                "PodDisruptionBudget/sample-app", "Service/redis", "StatefulSet/redis");

        JsonNode pod = objects.get("Deployment/sample-app").at("/spec/template/spec");
        JsonNode app = pod.at("/containers/0");
        assertThat(app.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/health/ready");
        assertThat(app.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/health/live");
        assertThat(app.at("/startupProbe/httpGet/path").asString()).isEqualTo("/health/live");
        assertThat(app.at("/lifecycle/preStop/exec/command").toString()).contains("sleep");
        assertThat(app.at("/resources/requests/cpu").asString()).as("the HPA's reference").isNotBlank();
        assertThat(app.at("/resources/limits/memory").asString()).isNotBlank();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        // preStop pause (5 s) + the app's drain (30 s) fit in the grace period.
        assertThat(pod.get("terminationGracePeriodSeconds").asInt()).isGreaterThan(35);
        assertThat(app.get("env").toString()).contains("SPINDLE_SAMPLE_DEMO_ROUTES").contains("redis://redis:6379");

        JsonNode hpa = objects.get("HorizontalPodAutoscaler/sample-app").get("spec");
        assertThat(hpa.at("/scaleTargetRef/name").asString()).isEqualTo("sample-app");
        assertThat(hpa.get("minReplicas").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(hpa.at("/metrics/0/resource/name").asString()).isEqualTo("cpu");
        assertThat(objects.get("StatefulSet/redis").at("/spec/template/spec/containers/0/args").toString())
                .contains("\"--appendonly\",\"yes\"");
        assertThat(objects.get("StatefulSet/redis").at("/spec/volumeClaimTemplates/0/metadata/name").asString())
                .isEqualTo("data");
    }

    @Test
    void dockerfileRunsAsANumericNonRootUserWithAHealthCheck() throws Exception {
        String dockerfile = Files.readString(DeployFiles.DEPLOY.resolve("Dockerfile"));

        assertThat(dockerfile).containsPattern("(?m)^USER 10001$").containsPattern("(?m)^HEALTHCHECK ")
                .contains("-XX:ArchiveClassesAtExit=/app/sample-app.jsa", "-XX:SharedArchiveFile=/app/sample-app.jsa",
                        "jlink --add-modules");
    }

    private static void assertSucceeds(Tools.Result result) {
        System.out.println(result.output().strip());
        assertThat(result.status()).as("%s", result.output()).isZero();
    }

    private static Set<String> matches(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        Set<String> found = new HashSet<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
