package dev.spindle.state.jobs;

import java.util.concurrent.CancellationException;

/** Why a running job stopped: it was cancelled, or its worker lost contact with the store (self-fencing). */
public final class JobCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    public JobCancelledException(String message) {
        super(message);
    }
}
