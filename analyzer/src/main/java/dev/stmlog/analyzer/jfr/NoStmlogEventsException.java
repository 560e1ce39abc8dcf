package dev.stmlog.analyzer.jfr;

import dev.stmlog.format.LogFormatException;

/**
 * A JFR recording that holds no {@code dev.stmlog.*} event (recorded without the STM, or with
 * its events disabled). Its message is the one line to show, {@code FILE: a JFR recording
 * without stmlog events}; the CLI reports it as bad input (exit status 1).
 */
public final class NoStmlogEventsException extends LogFormatException {
    public NoStmlogEventsException(String file) {
        super(file, "a JFR recording without stmlog events");
    }
}
