package dev.spindle.state.internal;

import dev.spindle.state.StateUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Sorts Lettuce failures into outages (503, retry later) and errors (a bug: 500). */
public final class RedisFailures {

    /**
     * Replies that say Redis cannot serve now, not that the command is wrong: failover and loading
     * states, and a Redis out of memory, unable to persist or not (yet) accepting our credentials.
     */
    private static final String[] TRANSIENT = {"LOADING", "BUSY", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "TRYAGAIN",
        "NOREPLICAS", "NOTREADY", "NOAUTH", "WRONGPASS", "OOM", "MISCONF"};

    private RedisFailures() {}

    /** The failure a caller should see for {@code failure}. */
    public static Throwable map(Throwable failure, long timeoutMillis) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StateUnavailableException) {
            return cause;
        }
        if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException
                || cause instanceof CancellationException) {
            return new StateUnavailableException("Redis did not answer within " + timeoutMillis + " ms", cause);
        }
        if (cause instanceof RedisCommandExecutionException error) {
            String message = String.valueOf(error.getMessage());
            for (String prefix : TRANSIENT) {
                if (message.startsWith(prefix)) {
                    return new StateUnavailableException("Redis cannot serve commands right now: " + message, error);
                }
            }
            return error;
        }
        if (cause instanceof RedisException || cause instanceof IOException) {
            return new StateUnavailableException("Redis is unavailable: " + cause.getMessage(), cause);
        }
        return cause;
    }

    /** The cause inside completion wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
