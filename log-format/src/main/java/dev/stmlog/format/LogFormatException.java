package dev.stmlog.format;

import java.io.IOException;

/**
 * The file cannot be read as a log at all (bad magic, unsupported version; for other kinds of
 * log, whatever makes the file unusable): its message is the one line a tool shows.
 */
public class LogFormatException extends IOException {
    private final String file;
    private final long offset;

    public LogFormatException(String file, long offset, String problem) {
        super(file + ": " + problem + " (at byte " + offset + ")");
        this.file = file;
        this.offset = offset;
    }

    /** A problem with the file as a whole, at no particular byte ({@link #offset()} -1). */
    public LogFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.offset = -1;
    }

    public String file() {
        return file;
    }

    /** Where in the file the problem is; -1 when it is the file as a whole. */
    public long offset() {
        return offset;
    }
}
