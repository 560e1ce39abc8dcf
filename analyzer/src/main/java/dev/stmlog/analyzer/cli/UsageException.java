package dev.stmlog.analyzer.cli;

/** The command line is wrong (an option's value, a missing argument): exit status 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
