package dev.stmlog.analyzer;

/**
 * How a thread is named when several logs are read together: {@code FILE:ID}, the log's 1-based
 * place on the command line and the thread's id in it (thread ids of different logs are
 * unrelated). With one log, the id alone.
 */
public final class ThreadId {
    private ThreadId() {}

    /** {@code FILE:ID} for the thread {@code thread} of the log at 0-based {@code file}. */
    public static String qualified(int file, long thread) {
        return (file + 1) + ":" + thread;
    }

    /** The name shown: {@link #qualified} when several logs are read, the id alone otherwise. */
    public static String shown(int file, long thread, boolean severalLogs) {
        return severalLogs ? qualified(file, thread) : Long.toString(thread);
    }

    /**
     * True when {@code --thread FILTER} names the thread by its id: {@code ID}, or
     * {@code FILE:ID} with the log's 1-based place. (A filter may also be a thread's name, which
     * only its ThreadStart event tells.)
     */
    public static boolean matchesId(String filter, int file, long thread) {
        return filter.equals(Long.toString(thread)) || filter.equals(qualified(file, thread));
    }
}
