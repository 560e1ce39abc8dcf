package dev.stmlog.analyzer.pypy;

import java.nio.charset.StandardCharsets;

/** The two stmgc library generations, told apart by the 16-byte file header. */
public enum PypyGeneration {
    /** stmgc c7: 19-byte fixed record part, two markers, "other thread" field; 15 event codes. */
    C7("STMGC-C7-PROF01\n", 19, 15, new String[] {
        "STM_TRANSACTION_START", "STM_TRANSACTION_COMMIT", "STM_TRANSACTION_ABORT",
        "STM_CONTENTION_WRITE_WRITE", "STM_CONTENTION_WRITE_READ", "STM_CONTENTION_INEVITABLE",
        "STM_ABORTING_OTHER_CONTENTION", "STM_WAIT_FREE_SEGMENT", "STM_WAIT_SYNC_PAUSE",
        "STM_WAIT_CONTENTION", "STM_WAIT_DONE", "STM_GC_MINOR_START", "STM_GC_MINOR_DONE",
        "STM_GC_MAJOR_START", "STM_GC_MAJOR_DONE"}),
    /** stmgc c8: 14-byte fixed record part, one marker; event names of the final numbering. */
    C8("STMGC-C8-PROF01\n", 14, 16, new String[] {
        "STM_TRANSACTION_START", "STM_TRANSACTION_COMMIT", "STM_TRANSACTION_ABORT",
        "STM_TRANSACTION_DETACH", "STM_TRANSACTION_REATTACH", "STM_BECOME_INEVITABLE",
        "STM_CONTENTION_WRITE_READ", "STM_WAIT_FREE_SEGMENT", "STM_WAIT_SYNCING",
        "STM_WAIT_SYNC_PAUSE", "STM_WAIT_OTHER_INEVITABLE", "STM_WAIT_DONE",
        "STM_GC_MINOR_START", "STM_GC_MINOR_DONE", "STM_GC_MAJOR_START", "STM_GC_MAJOR_DONE"});

    public static final int HEADER_LENGTH = 16;

    private final byte[] header;
    private final int fixedSize;
    private final int codeLimit;
    private final String[] eventNames;

    PypyGeneration(String header, int fixedSize, int codeLimit, String[] eventNames) {
        this.header = header.getBytes(StandardCharsets.US_ASCII);
        this.fixedSize = fixedSize;
        this.codeLimit = codeLimit;
        this.eventNames = eventNames;
    }

    /** The generation whose header {@code start} begins with, or null (the caller's cue to try other readers). */
    public static PypyGeneration detect(byte[] start) {
        if (start.length < HEADER_LENGTH) return null;
        for (PypyGeneration g : values()) {
            if (java.util.Arrays.equals(start, 0, HEADER_LENGTH, g.header, 0, HEADER_LENGTH)) return g;
        }
        return null;
    }

    /**
     * The generation of {@code file} from its first 16 bytes, or null when it is not a PyPy-STM
     * log (for {@code top --style pypy}, which reads nothing else).
     */
    public static PypyGeneration detect(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return detect(in.readNBytes(HEADER_LENGTH));
        }
    }

    /** The generation whose {@link #headerText()} is {@code text} (a reading's {@code writerVersion}). */
    public static PypyGeneration ofHeaderText(String text) {
        for (PypyGeneration g : values()) {
            if (g.headerText().equals(text)) return g;
        }
        throw new IllegalArgumentException("not a PyPy-STM header: " + text);
    }

    /** The header text, for messages and {@code ReadResult.writerVersion}. */
    public String headerText() {
        return new String(header, 0, HEADER_LENGTH - 1, StandardCharsets.US_ASCII);
    }

    /** Size of a record's fixed part. */
    public int fixedSize() {
        return fixedSize;
    }

    /** The script's corruption limit N: codes >= N are rejected (C8: of the final numbering). */
    public int codeLimit() {
        return codeLimit;
    }

    /** The constant name the scripts print for a code (C8: final numbering). */
    public String eventName(int code) {
        return code >= 0 && code < eventNames.length ? eventNames[code] : "code " + code;
    }
}
