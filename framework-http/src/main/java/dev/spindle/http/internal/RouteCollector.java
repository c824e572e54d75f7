package dev.spindle.http.internal;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Handler;
import dev.spindle.http.Method;
import dev.spindle.http.Middleware;
import dev.spindle.http.RouteOptions;
import dev.spindle.http.Routes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects route declarations and their scopes (the app and nested groups) until start-up,
 * when each route's middleware chain and options are resolved: outer scopes wrap inner ones,
 * and within a scope middleware runs in the order it was added.
 */
public final class RouteCollector {

    private final List<Scope> scopes = new ArrayList<>();
    private final Scope root = new Scope(null, "", RouteOptions.none());
    private final List<Definition> definitions = new ArrayList<>();

    /** The app-level scope. */
    public Scope root() {
        return root;
    }

    /** The app's scope and every group, in declaration order. */
    public List<Scope> scopes() {
        return List.copyOf(scopes);
    }

    /** Every declared route, in declaration order. */
    public List<Definition> definitions() {
        return List.copyOf(definitions);
    }

    /** A declared route. */
    public record Definition(Method method, String template, Scope scope, RouteOptions options, Handler handler) {

        /** The route's options: its scopes' from the outside in, then its own. */
        public RouteOptions effectiveOptions() {
            return scope.effectiveOptions().then(options);
        }

        /** The handler wrapped in every middleware that applies to it. */
        public Handler composedHandler() {
            return compose(effectiveOptions().middleware(), handler);
        }
    }

    /** Wraps {@code handler} so that {@code middleware.get(0)} runs first. */
    public static Handler compose(List<Middleware> middleware, Handler handler) {
        Handler composed = handler;
        for (int i = middleware.size() - 1; i >= 0; i--) {
            Middleware outer = middleware.get(i);
            Handler next = composed;
            composed = ctx -> outer.handle(ctx, next);
        }
        return composed;
    }

    /** A scope: the app or a group, with its prefix, options and middleware. */
    public final class Scope implements Routes {

        private final Scope parent;
        private final String prefix;
        private final RouteOptions options;
        private final List<Middleware> middleware = new ArrayList<>();

        private Scope(Scope parent, String prefix, RouteOptions options) {
            this.parent = parent;
            this.prefix = prefix;
            this.options = options;
            scopes.add(this);
        }

        /** The full prefix of this scope (empty for the app), possibly with parameters. */
        public String prefix() {
            return prefix;
        }

        /** Options of this scope and its parents, with middleware added by {@link #use}. */
        public RouteOptions effectiveOptions() {
            RouteOptions.Builder own = RouteOptions.builder();
            middleware.forEach(own::use);
            RouteOptions local = options.then(own.build());
            return parent == null ? local : parent.effectiveOptions().then(local);
        }

        @Override
        public Routes route(Method method, String template, RouteOptions routeOptions, Handler handler) {
            requireNonNull(method, "method");
            requireNonNull(template, "template");
            requireNonNull(routeOptions, "options");
            requireNonNull(handler, "handler");
            String full = Templates.join(prefix, template);
            Templates.paramNames(full);
            definitions.add(new Definition(method, full, this, routeOptions, handler));
            return this;
        }

        @Override
        public Routes use(Middleware middleware) {
            this.middleware.add(requireNonNull(middleware, "middleware"));
            return this;
        }

        @Override
        public Routes group(String groupPrefix, RouteOptions groupOptions, Consumer<Routes> routes) {
            Templates.checkPrefix(requireNonNull(groupPrefix, "prefix"));
            Scope child = new Scope(this, prefix + groupPrefix, requireNonNull(groupOptions, "options"));
            requireNonNull(routes, "routes").accept(child);
            return this;
        }
    }
}
