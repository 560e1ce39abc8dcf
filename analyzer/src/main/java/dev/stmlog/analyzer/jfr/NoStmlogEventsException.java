package dev.stmlog.analyzer.jfr;

import java.io.IOException;

/**
 * A JFR recording that holds no {@code dev.stmlog.*} event (recorded without the STM, or with
 * its events disabled). Its message is the one line to show, {@code FILE: a JFR recording
 * without stmlog events}; the CLI reports it as bad input (exit status 1).
 */
public final class NoStmlogEventsException extends IOException {
    private final String file;

    public NoStmlogEventsException(String file) {
        super(file + ": a JFR recording without stmlog events");
        this.file = file;
    }

    public String file() {
        return file;
    }
}
