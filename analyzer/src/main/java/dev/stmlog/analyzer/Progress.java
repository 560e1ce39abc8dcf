package dev.stmlog.analyzer;

/** Told how far reading has got; called from reading threads, so implementations synchronise. */
public interface Progress {
    Progress NONE = (file, done, total) -> {};

    /** {@code done} of {@code total} bytes of {@code file} have been read. */
    void read(String file, long done, long total);
}
