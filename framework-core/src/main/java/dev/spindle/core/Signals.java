package dev.spindle.core;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into one graceful stop followed by exit status 0, which is what
 * orchestrators expect from a clean shutdown (the JVM's default would exit with 143 after
 * running shutdown hooks, without draining anything).
 */
public final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /**
     * On the first SIGTERM or SIGINT, runs {@code shutdown} on a new thread and then exits with 0;
     * a second signal while draining exits at once with 1. Falls back to a shutdown hook where
     * the JVM does not allow signal handlers.
     */
    public static void onTerminate(Runnable shutdown) {
        Thread worker = new Thread(() -> {
            try {
                shutdown.run();
            } catch (RuntimeException e) {
                log.error("Graceful shutdown failed", e);
                Runtime.getRuntime().halt(1);
            }
            System.exit(0);
        }, "spindle-shutdown");
        try {
            install(new String[] {"TERM", "INT"}, name -> {
                if (worker.getState() == Thread.State.NEW) {
                    log.info("Received SIG{}: shutting down gracefully", name);
                    worker.start();
                } else {
                    log.warn("Received SIG{} again while draining: exiting now", name);
                    Runtime.getRuntime().halt(1);
                }
            });
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("Cannot install signal handlers ({}); draining from a shutdown hook instead", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "spindle-shutdown"));
        }
    }

    /**
     * Runs {@code action} on every SIGHUP (the cluster supervisor's rolling restart), on the JVM's
     * signal thread: it must hand long work to another thread. Returns false where the JVM does not
     * allow signal handlers.
     */
    public static boolean onHangUp(Runnable action) {
        try {
            install(new String[] {"HUP"}, name -> action.run());
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("Cannot handle SIGHUP ({})", e.toString());
            return false;
        }
    }

    /** Calls {@code onSignal} with the signal's name (TERM, HUP) for each of {@code names}. */
    private static void install(String[] names, java.util.function.Consumer<Object> onSignal)
            throws ReflectiveOperationException {
        // sun.misc.Signal (module jdk.unsupported) is the supported way to handle signals on
        // JDK 17; reflection keeps the build free of proprietary-API warnings.
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Method nameOf = signalType.getMethod("getName");
        Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> {
                    if (!method.getName().equals("handle")) {
                        return method.invoke(onSignal, args);
                    }
                    onSignal.accept(nameOf.invoke(args[0]));
                    return null;
                });
        Method handle = signalType.getMethod("handle", signalType, handlerType);
        for (String name : names) {
            handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
        }
    }
}
