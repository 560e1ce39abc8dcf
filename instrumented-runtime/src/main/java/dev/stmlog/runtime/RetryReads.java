package dev.stmlog.runtime;

/**
 * What an attempt that called {@link Stm#retry()} had read: its Refs and its read version. A
 * {@link TransactionQueue} task that retries is set aside with these instead of blocking its
 * worker, and is re-run once {@link #changed()}.
 */
final class RetryReads {

    private final Ref<?>[] refs;
    final long readVersion;

    RetryReads(Ref<?>[] refs, long readVersion) {
        this.refs = refs;
        this.readVersion = readVersion;
    }

    /** Has one of the Refs been changed since (or is it being written)? */
    boolean changed() {
        return changed(refs, refs.length, readVersion);
    }

    /** Whether one of {@code refs[0..n)} is locked or has a version {@code > readVersion}. */
    static boolean changed(Ref<?>[] refs, int n, long readVersion) {
        for (int i = 0; i < n; i++) {
            long w = refs[i].word();
            if ((w & Ref.LOCKED) != 0 || Ref.version(w) > readVersion) {
                return true;
            }
        }
        return false;
    }
}
