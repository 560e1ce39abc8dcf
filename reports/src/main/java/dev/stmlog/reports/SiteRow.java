package dev.stmlog.reports;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One ranked row of a conflict table: a site, a pair of sites, a kind, a thread or a label,
 * depending on how the analysis grouped its conflicts.
 *
 * @param kind          what the row counts: contentions of one kind, or unexplained aborts or waits
 * @param key           the row's key as text (for sites: the top frame)
 * @param lostNanos     time lost in aborts charged to the row
 * @param pausedNanos   wait time charged to the row
 * @param frames        the victim's frames, innermost first, as {@code StackTraceElement}
 *                      prints them; empty when the grouping has none
 * @param otherFrames   the other side's frames (the most frequent one for a site)
 * @param otherVariants how many distinct other sides there were
 * @param sourceLine    the source text of the top frame's line, or null
 * @param otherSourceLine the source text of the other side's top frame's line, or null
 * @param timeline      conflicts per column of the analysed time (60 columns)
 * @param hint          a short suggestion when the row's shape was recognised, else null
 */
public record SiteRow(int rank, RowKind kind, String key, long count, long lostNanos, long pausedNanos,
                      List<String> frames, List<String> otherFrames, int otherVariants, String sourceLine,
                      String otherSourceLine, int[] timeline, Hint hint) {

    /** A row without a hint. */
    public SiteRow(int rank, RowKind kind, String key, long count, long lostNanos, long pausedNanos,
                   List<String> frames, List<String> otherFrames, int otherVariants, String sourceLine,
                   String otherSourceLine, int[] timeline) {
        this(rank, kind, key, count, lostNanos, pausedNanos, frames, otherFrames, otherVariants, sourceLine,
                otherSourceLine, timeline, null);
    }

    public SiteRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        frames = List.copyOf(frames);
        otherFrames = List.copyOf(otherFrames);
        timeline = timeline.clone();
    }

    @Override
    public int[] timeline() {
        return timeline.clone();
    }

    public long totalNanos() {
        return lostNanos + pausedNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteRow r && rank == r.rank && count == r.count && lostNanos == r.lostNanos
                && pausedNanos == r.pausedNanos && otherVariants == r.otherVariants && kind.equals(r.kind)
                && key.equals(r.key) && frames.equals(r.frames) && otherFrames.equals(r.otherFrames)
                && Objects.equals(sourceLine, r.sourceLine) && Objects.equals(otherSourceLine, r.otherSourceLine)
                && Arrays.equals(timeline, r.timeline) && Objects.equals(hint, r.hint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rank, kind, key, count, lostNanos, pausedNanos, frames, otherFrames) * 31
                + Arrays.hashCode(timeline);
    }

    @Override
    public String toString() {
        return "SiteRow[rank=" + rank + ", kind=" + kind + ", key=" + key + ", count=" + count + ", lost="
                + lostNanos + ", paused=" + pausedNanos + ", frames=" + frames + ", otherFrames=" + otherFrames + (hint == null ? "" : ", hint=" + hint.kind()) + "]";
    }
}
