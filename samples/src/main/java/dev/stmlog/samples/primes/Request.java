package dev.stmlog.samples.primes;

/**
 * A parsed HTTP request, handed by the event loop to a callback and back. The callback fills in
 * {@link #response}; the loop writes it to the connection once the whole batch has run.
 */
public final class Request {
    /** The connection it came from (opaque to the handler). */
    final Object connection;
    public final String method;
    public final String target;
    /** Null for a well-formed request, else why it is malformed (the answer is a 400). */
    public final String error;
    /** Whether the connection stays open after the response. */
    public final boolean keepAlive;
    /** The loop's clock when the batch was dispatched (milliseconds since the epoch). */
    long clock;

    /** Set by the handler (possibly several times, if its transaction re-runs: last one wins). */
    volatile Response response;

    Request(Object connection, String method, String target, String error, boolean keepAlive) {
        this.connection = connection;
        this.method = method;
        this.target = target;
        this.error = error;
        this.keepAlive = keepAlive && error == null;
    }

    static Request malformed(Object connection, String why) {
        return new Request(connection, null, null, why, false);
    }

    public long clock() {
        return clock;
    }

    /** What the handler answered: the whole HTTP message, and what the statistics need. */
    public record Response(int status, byte[] bytes) {
    }
}
