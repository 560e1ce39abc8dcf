package dev.stmlog.reports;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Two analyses compared ({@code stmlog diff BASE NEW}): both sides' totals and throughput, and
 * per row (site, pair, kind, thread or label, as {@code top} groups them) its figures on each
 * side, matched by the row's identity (kind, key and frames). Times are nanoseconds.
 *
 * @param base       the baseline's totals and throughput
 * @param current    the new logs' totals and throughput
 * @param grouping   how rows were formed on both sides
 * @param ranking    which figure's change ranks the rows (its absolute value, largest first)
 * @param depth      frames per site
 * @param counts     how many rows of each status there are, before the limit
 * @param sites      the ranked rows, at most the limit
 */
public record DiffView(Side base, Side current, TopView.Grouping grouping, TopView.Ranking ranking, int depth,
                       StatusCounts counts, List<SiteChange> sites) implements View {

    public DiffView {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(ranking, "ranking");
        Objects.requireNonNull(counts, "counts");
        sites = List.copyOf(sites);
    }

    /**
     * One side of the comparison.
     *
     * @param summary    its totals, as {@code summary} prints them
     * @param conflicts  contentions counted in its rows (the unexplained aborts and waits aside)
     * @param throughput completed operations per second of its measured part
     */
    public record Side(SummaryView summary, long conflicts, Throughput throughput) {
        public Side {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(throughput, "throughput");
        }

        public TransactionTotals transactions() {
            return summary.transactions();
        }
    }

    /**
     * Throughput as {@code stmlog scale} measures it.
     *
     * @param basis      what was counted, over what part of the run
     * @param operations what was counted
     * @param nanos      the measured time
     */
    public record Throughput(Basis basis, long operations, long nanos) {
        public Throughput {
            Objects.requireNonNull(basis, "basis");
        }

        /** Operations per second; 0 when no time was measured. */
        public double perSecond() {
            return nanos <= 0 ? 0 : operations * 1e9 / nanos;
        }
    }

    /** What a throughput counts: the marks in the declared window, the marks' span, or commits over the wall time. */
    public enum Basis {
        WINDOW, MARKS, COMMITS;

        /** As {@code scale} names it: {@code window}, {@code marks}, {@code commits}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a row is on both sides, and whether it moved. */
    public enum Status {
        /** On both sides, some figure differs. */
        CHANGED,
        /** On both sides, every figure the same. */
        SAME,
        /** Only in the new logs. */
        NEW,
        /** Only in the baseline. */
        GONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many rows there are of each status (before the limit). */
    public record StatusCounts(int changed, int same, int added, int gone) {
        public int total() {
            return changed + same + added + gone;
        }
    }

    /** One row's figures on one side (zero on the side it is missing from). */
    public record Figures(long count, long lostNanos, long pausedNanos) {
        public static final Figures NONE = new Figures(0, 0, 0);

        public long totalNanos() {
            return lostNanos + pausedNanos;
        }

        /** The figure that {@code ranking} names. */
        public long of(TopView.Ranking ranking) {
            return switch (ranking) {
                case LOST -> lostNanos;
                case PAUSED -> pausedNanos;
                case TOTAL -> totalNanos();
                case COUNT -> count;
            };
        }
    }

    /**
     * One row of the comparison.
     *
     * @param rank            its place, by the absolute change of the ranked figure
     * @param status          on both sides or one, changed or not
     * @param kind            what the row counts
     * @param key             the row's key as {@code top} shows it
     * @param frames          the victim's frames, innermost first (empty when the grouping has none)
     * @param otherFrames     the other side's frames: the pair's for {@code --by pair}, else the
     *                        most frequent one (the new logs', or the baseline's for a gone row)
     * @param sourceLine      the source text of the top frame's line, or null
     * @param base            its figures in the baseline
     * @param current         its figures in the new logs
     */
    public record SiteChange(int rank, Status status, RowKind kind, String key, List<String> frames,
                             List<String> otherFrames, String sourceLine, Figures base, Figures current) {
        public SiteChange {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            frames = List.copyOf(frames);
            otherFrames = List.copyOf(otherFrames);
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(current, "current");
        }

        /** new - base of the figure {@code ranking} names. */
        public long change(TopView.Ranking ranking) {
            return current.of(ranking) - base.of(ranking);
        }
    }

    /**
     * {@code (current - base) / base} as a percentage; null when base is 0 (then any growth is
     * from nothing, and no percentage says how much).
     */
    public static Double percentChange(double base, double current) {
        if (base == 0) return current == 0 ? 0.0 : null;
        return (current - base) * 100.0 / Math.abs(base);
    }

    /** {@link #percentChange} as text: {@code +12.5%}, {@code -3.0%}, {@code 0.0%}, or {@code new} from nothing. */
    public static String percentText(double base, double current) {
        Double p = percentChange(base, current);
        if (p == null) return "new";
        if (Math.abs(p) < 0.05) return "0.0%";
        return String.format(Locale.ROOT, "%+.1f%%", p);
    }
}
