package dev.stmlog.samples;

/** A bad command line: reported as one line on stderr, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
