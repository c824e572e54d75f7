package dev.spindle.validation;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Spindle;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotNull;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Jakarta Bean Validation for request bodies and parameters, on Hibernate Validator. The
 * validator is built once, when the app is set up, with message interpolation that needs no
 * expression language; validating a bean is then plain computation, fine on the event loop.
 * Every violation of a request is reported together, as one 400 problem that lists each field:
 *
 * <pre>{@code
 * record NewUser(@NotBlank @Size(max = 100) String name, @Email @NotNull String email) {}
 * record Page(@Min(1) @Max(100) int limit, @PositiveOrZero int offset) {}
 *
 * Validation validation = Validation.install(app, NewUser.class, Page.class);
 * app.post("/users", ctx -> validation.body(ctx, NewUser.class).thenCompose(users::create).thenApply(Response::json));
 * app.get("/users", ctx -> {
 *     Page page = validation.check(new Page(ctx.queryParam("limit", Integer.class).orElse(20),
 *             ctx.queryParam("offset", Integer.class).orElse(0)));
 *     return users.list(page).thenApply(Response::json);
 * });
 * }</pre>
 * <p>{"type":"about:blank","title":"Bad Request","status":400,"detail":"2 fields are invalid",
 * "instance":"/users","requestId":"...","errors":[{"field":"email","message":"must be a well-formed email address"},...]}
 */
public final class Validation implements AutoCloseable {

    private final ValidatorFactory factory;
    private final Validator validator;

    /** Validated once at creation, so the message bundles are read then, not on an event loop. */
    private record Warm(@NotNull String value) {}

    private Validation(ValidatorFactory factory) {
        this.factory = factory;
        this.validator = factory.getValidator();
        validator.validate(new Warm(null));
    }

    /** A validation with English messages. */
    public static Validation create() {
        return create(Locale.ENGLISH);
    }

    /** A validation whose messages are in {@code locale}. */
    public static Validation create(Locale locale) {
        requireNonNull(locale, "locale");
        return new Validation(jakarta.validation.Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator(Set.of(locale), locale, true))
                .defaultLocale(locale)
                .buildValidatorFactory());
    }

    /**
     * Creates a validation for {@code app}: the 400 problem with every field for
     * {@link InvalidRequestException}, closed on shutdown, and the constraints of {@code beans}
     * read now rather than on the first request's event loop.
     */
    public static Validation install(Spindle app, Class<?>... beans) {
        Validation validation = create();
        app.exception(InvalidRequestException.class, ValidationProblem::respond);
        app.closeOnStop(validation);
        validation.prepare(beans);
        return validation;
    }

    /** Reads the constraints of {@code beans} now, so their first validation costs no reflection. */
    public Validation prepare(Class<?>... beans) {
        for (Class<?> bean : beans) {
            validator.getConstraintsForClass(requireNonNull(bean, "bean"));
        }
        return this;
    }

    /**
     * The body bound from JSON as {@code type} and validated: fails with the 400 of
     * {@link Context#bodyAs} for JSON that does not fit, and with an
     * {@link InvalidRequestException} listing every violation (or {@code body} for a JSON {@code null}).
     */
    public <T> CompletionStage<T> body(Context ctx, Class<T> type) {
        return ctx.bodyAs(type).thenApply(body -> {
            if (body == null) {
                throw InvalidRequestException.of("body", "must be a JSON object");
            }
            return check(body);
        });
    }

    /** {@code value} if it meets its constraints; throws an {@link InvalidRequestException} listing every violation. */
    public <T> T check(T value) {
        requireNonNull(value, "value");
        List<Violation> violations = violations(value);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return value;
    }

    /** The violations of {@code value}, for callers that decide themselves what to do. */
    public List<Violation> violations(Object value) {
        Set<ConstraintViolation<Object>> found = validator.validate(requireNonNull(value, "value"));
        return found.stream()
                .map(violation -> new Violation(violation.getPropertyPath().toString(), violation.getMessage()))
                .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::message))
                .toList();
    }

    /** Closes the validator factory. */
    @Override
    public void close() {
        factory.close();
    }
}
