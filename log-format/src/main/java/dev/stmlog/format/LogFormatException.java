package dev.stmlog.format;

import java.io.IOException;

/** The file is not a stmlog log this reader can read at all (bad magic, unsupported version). */
public final class LogFormatException extends IOException {
    private final String file;
    private final long offset;

    public LogFormatException(String file, long offset, String problem) {
        super(file + ": " + problem + " (at byte " + offset + ")");
        this.file = file;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
