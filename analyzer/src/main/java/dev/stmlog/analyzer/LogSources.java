package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every format of log the tool reads, and the choice among them by a file's first bytes. */
public final class LogSources {
    private LogSources() {}

    /** stmlog's own format: also what reads a file no source accepts, to say where its magic is wrong. */
    private static final LogSource STMLOG = new StmlogSource();

    /** Tried in this order; the first that accepts a file reads it. */
    public static final List<LogSource> ALL = List.of(STMLOG, new PypySource(), new JfrSource());

    /**
     * The source of {@code file}: the first that accepts its first bytes; none accepting, stmlog's,
     * whose reader then fails with the one-line "not a stmlog log (bad magic)" at the first wrong
     * byte (or reads a file cut inside its header as the damaged stmlog log it may be).
     */
    public static LogSource of(Path file) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(LogSource.HEADER_BYTES);
        }
        return of(start);
    }

    /** As {@link #of(Path)}, for a file's first bytes. */
    public static LogSource of(byte[] start) {
        for (LogSource s : ALL) {
            if (s.accepts(start)) return s;
        }
        return STMLOG;
    }

    /** Reads {@code file} with its source (see {@link LogSource#read}). */
    public static ReadResult read(Path file, EventVisitor visitor, LogSource.Options options, Progress progress)
            throws IOException {
        return of(file).read(file, visitor, options, progress);
    }

    /** Every source's settings, in the order of {@link #ALL}. */
    public static List<LogSource.Setting> settings() {
        List<LogSource.Setting> all = new ArrayList<>();
        for (LogSource s : ALL) all.addAll(s.settings());
        return List.copyOf(all);
    }
}
