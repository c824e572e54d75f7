package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.sample.users.User;
import dev.spindle.sample.users.UserExport;
import dev.spindle.sample.users.UserRepository;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** Exports stream every user a page at a time, never holding more than one page. */
class ExportTest {

    private static final String KEY = "export-key";
    private static final int USERS = 2_345;
    private static final PagedUsers users = new PagedUsers(UserRepository.inMemory());

    static {
        for (int i = 0; i < USERS; i++) {
            String name = i == 7 ? "=HYPERLINK(\"http://evil\"), \"quoted\"" : "User " + i;
            users.insert(new User(String.format("u%05d", i), name, "user" + i + "@example.com", "not-a-hash",
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
        }
    }

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> SampleApp.install(app, users))
            .set("sample.api-key", KEY)
            .set("sample.password-iterations", "1000");

    @Test
    void streamsEveryUserAsNdjsonOnePageAtATime() {
        users.pages.clear();

        TestResponse export = server.client().get("/api/v1/export/users.ndjson", "X-Api-Key", KEY);

        assertThat(export).hasStatus(200).hasContentType("application/x-ndjson");
        assertThat(export.header("Content-Length")).as("streamed, length unknown up front").isEmpty();
        List<String> lines = export.body().lines().toList();
        assertThat(lines).hasSize(USERS);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(lines.get(0)).get("id").asString()).isEqualTo("u00000");
        assertThat(json.readTree(lines.get(USERS - 1)).get("email").asString()).isEqualTo("user2344@example.com");
        assertThat(lines).noneMatch(line -> line.contains("not-a-hash"));
        assertPagedOneAtATime();
    }

    @Test
    void streamsCsvWithQuotingAndFormulasDefused() {
        users.pages.clear();

        TestResponse export = server.client().get("/api/v1/export/users.csv", "X-Api-Key", KEY);

        assertThat(export).hasStatus(200).hasContentType("text/csv");
        assertThat(export.header("Content-Disposition")).contains("attachment; filename=\"users.csv\"");
        List<String> lines = export.body().lines().toList();
        assertThat(lines).hasSize(USERS + 1);
        assertThat(lines.get(0)).isEqualTo("id,name,email,createdAt");
        assertThat(lines.get(8)).isEqualTo(
                "u00007,\"'=HYPERLINK(\"\"http://evil\"\"), \"\"quoted\"\"\",user7@example.com,2026-01-01T00:00:07Z");
        assertPagedOneAtATime();
    }

    @Test
    void wantsTheApiKey() {
        assertThat(server.client().get("/api/v1/export/users.csv")).isProblem(401);
    }

    private static void assertPagedOneAtATime() {
        assertThat(users.pages).as("pages asked for").hasSize(USERS / UserExport.PAGE + 1)
                .allSatisfy(limit -> assertThat(limit).isEqualTo(UserExport.PAGE));
        assertThat(users.mostInFlight.get()).as("pages fetched at once").isEqualTo(1);
    }

    /** Counts the pages asked for and how many were in flight at once. */
    private static final class PagedUsers implements UserRepository {

        final List<Integer> pages = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        private final UserRepository delegate;

        PagedUsers(UserRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<List<User>> list(int offset, int limit) {
            pages.add(limit);
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // Completed later, on another thread, as a real store would.
            return CompletableFuture.supplyAsync(() -> delegate.list(offset, limit).toCompletableFuture().join())
                    .whenComplete((page, failure) -> inFlight.decrementAndGet());
        }

        @Override
        public CompletionStage<User> insert(User user) {
            return delegate.insert(user);
        }

        @Override
        public CompletionStage<Optional<User>> find(String id) {
            return delegate.find(id);
        }

        @Override
        public CompletionStage<Optional<User>> findByEmail(String email) {
            return delegate.findByEmail(email);
        }

        @Override
        public CompletionStage<User> update(User user) {
            return delegate.update(user);
        }

        @Override
        public CompletionStage<Boolean> delete(String id) {
            return delegate.delete(id);
        }

        @Override
        public CompletionStage<Integer> count() {
            return delegate.count();
        }

        @Override
        public String describe() {
            return delegate.describe() + " (paged for the export test)";
        }
    }
}
