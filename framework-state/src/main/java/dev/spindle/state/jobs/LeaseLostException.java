package dev.spindle.state.jobs;

/**
 * A worker acted on a job it no longer owns: its lease expired (or the job was cancelled, removed
 * or taken over by another worker with a newer fencing token), so its completion, failure,
 * retry or progress is refused. The job's outcome is now up to its current owner.
 */
public final class LeaseLostException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String queue, String id, long fencingToken) {
        super("Lease lost on job " + id + " of queue '" + queue + "' (fencing token " + fencingToken
                + "): it expired or the job was taken over, so this worker may no longer change it");
    }
}
