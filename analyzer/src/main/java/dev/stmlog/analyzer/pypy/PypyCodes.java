package dev.stmlog.analyzer.pypy;

/**
 * The event codes of the two generations, as {@link PypyLogReader#event()} gives them (C8 mapped
 * onto the final numbering whatever the file's, see {@link C8Numbering}). Ints rather than an
 * enum: they are switched on once per record, and the reader hands out the byte it read.
 */
public final class PypyCodes {
    private PypyCodes() {}

    /** stmgc c7's codes (its only numbering). */
    public static final class C7 {
        private C7() {}

        public static final int START = 0, COMMIT = 1, ABORT = 2, WRITE_WRITE = 3, WRITE_READ = 4, INEVITABLE = 5,
                ABORTING_OTHER = 6, WAIT_FREE_SEGMENT = 7, WAIT_SYNC_PAUSE = 8, WAIT_CONTENTION = 9, WAIT_DONE = 10,
                GC_MINOR_START = 11, GC_MINOR_DONE = 12, GC_MAJOR_START = 13, GC_MAJOR_DONE = 14;
    }

    /** stmgc c8's codes in the final numbering. */
    public static final class C8 {
        private C8() {}

        public static final int START = 0, COMMIT = 1, ABORT = 2, DETACH = 3, REATTACH = 4, BECOME_INEVITABLE = 5,
                WRITE_READ = 6, WAIT_FREE_SEGMENT = 7, WAIT_SYNCING = 8, WAIT_SYNC_PAUSE = 9,
                WAIT_OTHER_INEVITABLE = 10, WAIT_DONE = 11, GC_MINOR_START = 12, GC_MINOR_DONE = 13,
                GC_MAJOR_START = 14, GC_MAJOR_DONE = 15;
    }
}
