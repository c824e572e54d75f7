package dev.spindle.sample.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A cluster supervisor's admin endpoint ({@code cluster.admin-port}): the workers it runs. */
final class ClusterAdmin {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A worker as {@code GET /cluster/workers} lists it. */
    record Worker(int slot, long pid, String state) {}

    private final Endpoint admin;

    ClusterAdmin(int port) {
        this.admin = Endpoint.at(port);
    }

    /** The workers, empty while the endpoint does not answer. */
    List<Worker> workers() {
        try {
            JsonNode body = JSON.readTree(admin.get("/cluster/workers").body());
            List<Worker> workers = new ArrayList<>();
            for (JsonNode worker : body.path("workers")) {
                workers.add(new Worker(worker.get("worker").asInt(), worker.get("pid").asLong(),
                        worker.get("state").asString()));
            }
            return workers;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether exactly {@code count} workers run and all are ready. */
    boolean allReady(int count) {
        List<Worker> workers = workers();
        return workers.size() == count && workers.stream().allMatch(worker -> worker.state().equals("ready"));
    }
}
