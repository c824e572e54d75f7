package dev.spindle.sample.users;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Response;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import dev.spindle.sample.web.PagedPublisher;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /export/users.ndjson} and {@code GET /export/users.csv}: every user, streamed a page
 * of {@link #PAGE} at a time as the client reads ({@link PagedPublisher}), so the export's memory
 * does not grow with the number of users. Both want the API key: they list e-mail addresses.
 */
public final class UserExport {

    /** Users fetched from the store per page. */
    public static final int PAGE = 500;

    static final String CSV_HEADER = "id,name,email,createdAt\n";

    private final UserRepository users;
    private final ObjectMapper json;

    /** Exports of {@code users}, NDJSON lines written with {@code json}. */
    public UserExport(UserRepository users, ObjectMapper json) {
        this.users = requireNonNull(users, "users");
        this.json = requireNonNull(json, "json");
    }

    /** Declares both exports on {@code api}, with {@code options} (e.g. an API-key check). */
    public void declare(Routes api, RouteOptions options) {
        api.get("/export/users.ndjson", options, this::ndjson);
        api.get("/export/users.csv", options, this::csv);
    }

    private CompletionStage<Response> ndjson(Context ctx) {
        PagedPublisher<User> rows = new PagedPublisher<>(users::list, PAGE, "",
                user -> json.writeValueAsString(UserView.of(user)), ctx.executor());
        return Response.stream(rows, "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"users.ndjson\"").completed();
    }

    private CompletionStage<Response> csv(Context ctx) {
        PagedPublisher<User> rows = new PagedPublisher<>(users::list, PAGE, CSV_HEADER, UserExport::csvLine,
                ctx.executor());
        return Response.stream(rows, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"users.csv\"").completed();
    }

    static String csvLine(User user) {
        return String.join(",", user.id(), csvField(user.name()), csvField(user.email()), user.createdAt().toString());
    }

    /**
     * RFC 4180 quoting, and a leading quote mark on text a spreadsheet would run as a formula
     * ({@code =}, {@code +}, {@code -}, {@code @}): user-supplied names end up in Excel.
     */
    static String csvField(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
