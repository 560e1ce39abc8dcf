package dev.stmlog.agent;

/**
 * What the agent knows of one contended object (a Clojure {@code Ref}...): its id in the log,
 * dense from 1 as the runtime's, its label, and the latest sampled write site, which names the
 * other side of later conflicts on it. Made at the object's first recorded conflict
 * ({@link ContendedRefs}); the object itself is not held.
 */
public final class RefInfo {
    final long id;
    /** The label's string pool id, 0 for none. */
    final int label;
    final String labelText;
    /** The latest sampled write: stack id in the high half, the writer's thread id in the low. */
    volatile long writeSite;
    /**
     * A conflict on it lacked the other side: the next write of it by another thread than the
     * victim ({@link #wantedBy}) records its site.
     */
    private volatile boolean writerWanted;
    private long wantedBy;

    RefInfo(long id, String label, int labelId) {
        this.id = id;
        this.labelText = label;
        this.label = labelId;
    }

    public long id() {
        return id;
    }

    boolean writerWanted() {
        return writerWanted;
    }

    /** The victim, thread {@code victim}, asks for another's next write's site (see {@link ContendedRefs#anyWanted}). */
    synchronized void wantWriter(long victim) {
        wantedBy = victim;
        if (writerWanted) return;
        writerWanted = true;
        ContendedRefs.wanted(1);
    }

    /** Whether thread {@code writer}'s write is the one asked for: then it is no longer asked for. */
    synchronized boolean takeWanted(long writer) {
        if (!writerWanted || writer == wantedBy) return false;
        writerWanted = false;
        ContendedRefs.wanted(-1);
        return true;
    }

    /** The label, or null. */
    public String label() {
        return labelText;
    }

    /**
     * Where another thread than {@code victim} last wrote it (the other side when
     * {@code otherThread} is unknown, 0), or where {@code otherThread} did; 0 when not known.
     */
    int otherWriteSite(long victim, long otherThread) {
        long packed = writeSite;
        int writer = (int) packed;
        boolean fits = otherThread > 0 ? writer == (int) otherThread : packed != 0 && writer != (int) victim;
        return fits ? (int) (packed >>> 32) : 0;
    }

    /** The thread whose write {@link #otherWriteSite} names, -1 for none. */
    long lastWriter() {
        long packed = writeSite;
        return packed == 0 ? -1 : (packed & 0xFFFF_FFFFL);
    }
}
