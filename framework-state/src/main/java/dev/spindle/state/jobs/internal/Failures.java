package dev.spindle.state.jobs.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;

/** How a failed attempt is recorded: its cause, a one-line message, and a bounded stack trace. */
final class Failures {

    private static final int STACK_LIMIT = 16_384;

    private Failures() {}

    /** {@code failure} without the {@link CompletionException} wrappers of the stages it went through. */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + message;
    }

    static String stack(Throwable cause) {
        StringWriter out = new StringWriter();
        cause.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() > STACK_LIMIT ? text.substring(0, STACK_LIMIT) + "\n\t..." : text;
    }
}
