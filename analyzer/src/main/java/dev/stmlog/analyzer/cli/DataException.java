package dev.stmlog.analyzer.cli;

/** The input is wrong or unreadable (a missing file, not a log, nothing readable): exit status 1. */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message, null, false, false);
    }
}
