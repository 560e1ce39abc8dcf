package dev.stmlog.analyzer;

import dev.stmlog.reports.DiffView;
import dev.stmlog.reports.RowKind;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.TopView;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two analyses compared row by row ({@code stmlog diff}, {@code report --baseline}). Both must
 * have been made with the same grouping and depth; a row is matched by its identity: its kind,
 * its key as {@code top} shows it, the victim's frames and, grouped by pair, the other side's
 * frames. Every row of either side is kept (the limit applies to the {@link #view}), ranked by
 * the absolute change of the ranked figure, largest first.
 */
public final class Comparison {
    /** A row's identity on either side. */
    private record Key(RowKind kind, String key, List<String> frames, List<String> otherFrames) {}

    private final DiffView.Side base;
    private final DiffView.Side current;
    private final TopView.Grouping grouping;
    private final TopView.Ranking ranking;
    private final int depth;
    private final List<DiffView.SiteChange> rows;
    private final DiffView.StatusCounts counts;

    private Comparison(DiffView.Side base, DiffView.Side current, TopView baseTop, TopView currentTop) {
        this.base = base;
        this.current = current;
        this.grouping = currentTop.grouping();
        this.ranking = currentTop.ranking();
        this.depth = currentTop.depth();
        Map<Key, SiteRow> before = new LinkedHashMap<>();
        for (SiteRow r : baseTop.sites()) before.put(key(r, grouping), r);
        List<DiffView.SiteChange> all = new ArrayList<>();
        int changed = 0, same = 0, added = 0, gone = 0;
        for (SiteRow r : currentTop.sites()) {
            SiteRow b = before.remove(key(r, grouping));
            DiffView.Figures now = figures(r);
            DiffView.Figures then = b == null ? DiffView.Figures.NONE : figures(b);
            DiffView.Status status = b == null ? DiffView.Status.NEW
                    : now.equals(then) ? DiffView.Status.SAME : DiffView.Status.CHANGED;
            switch (status) {
                case NEW -> added++;
                case SAME -> same++;
                default -> changed++;
            }
            String source = r.sourceLine() != null || b == null ? r.sourceLine() : b.sourceLine();
            all.add(new DiffView.SiteChange(0, status, r.kind(), r.key(), r.frames(), r.otherFrames(), source, then, now));
        }
        for (SiteRow b : before.values()) {
            gone++;
            all.add(new DiffView.SiteChange(0, DiffView.Status.GONE, b.kind(), b.key(), b.frames(), b.otherFrames(),
                    b.sourceLine(), figures(b), DiffView.Figures.NONE));
        }
        TopView.Ranking rank = ranking;
        all.sort(Comparator.<DiffView.SiteChange>comparingLong(s -> Math.abs(s.change(rank))).reversed()
                .thenComparing(Comparator.<DiffView.SiteChange>comparingLong(
                        s -> Math.abs(s.change(TopView.Ranking.TOTAL))).reversed())
                .thenComparing(Comparator.<DiffView.SiteChange>comparingLong(
                        s -> Math.abs(s.change(TopView.Ranking.COUNT))).reversed())
                .thenComparing(s -> s.kind().label())
                .thenComparing(DiffView.SiteChange::key)
                .thenComparing(s -> String.join("\n", s.frames()))
                .thenComparing(s -> String.join("\n", s.otherFrames())));
        List<DiffView.SiteChange> ranked = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            DiffView.SiteChange s = all.get(i);
            ranked.add(new DiffView.SiteChange(i + 1, s.status(), s.kind(), s.key(), s.frames(), s.otherFrames(),
                    s.sourceLine(), s.base(), s.current()));
        }
        this.rows = List.copyOf(ranked);
        this.counts = new DiffView.StatusCounts(changed, same, added, gone);
    }

    /**
     * Compares {@code current} with {@code base}, both analysed with the same options, their rows
     * ranked by the change in {@code sort}; {@code sources} (or null) finds the top frames' lines.
     * The throughputs are measured as {@link #throughput} does.
     */
    public static Comparison of(Analysis base, DiffView.Throughput baseThroughput, Analysis current,
                                DiffView.Throughput currentThroughput, SortKey sort, SourceLines sources) {
        TopView b = base.top(sort, Integer.MAX_VALUE, sources);
        TopView n = current.top(sort, Integer.MAX_VALUE, sources);
        if (b.grouping() != n.grouping() || b.depth() != n.depth()) {
            throw new IllegalArgumentException("the two analyses group their rows differently");
        }
        return new Comparison(side(b, baseThroughput), side(n, currentThroughput), b, n);
    }

    private static DiffView.Side side(TopView top, DiffView.Throughput throughput) {
        long conflicts = 0;
        for (SiteRow r : top.sites()) if (!r.kind().unexplained()) conflicts += r.count();
        return new DiffView.Side(top.summary(), conflicts, throughput);
    }

    /**
     * The logs' throughput exactly as {@code stmlog scale} measures it ({@link Throughput}): the
     * marks in the window the program declared, else over the marks' span, else committed
     * transactions over the wall time; from the whole logs, whatever window or thread the
     * comparison looks at. {@code whole} is the logs' analysis with default options when the
     * caller has one (else null: they are read for it); the measured part is read again on its own.
     */
    public static DiffView.Throughput throughput(List<Path> files, Analysis whole, LogSource.Options source)
            throws IOException {
        Analysis a = whole != null ? whole : Analyzer.analyze(files, AnalysisOptions.defaults(), source, Progress.NONE);
        Throughput t = Throughput.of(a);
        Analysis measured = t.partial() ? Analyzer.analyze(files, t.options(), source, Progress.NONE) : a;
        DiffView.Basis basis = switch (t.basis()) {
            case WINDOW -> DiffView.Basis.WINDOW;
            case MARKS -> DiffView.Basis.MARKS;
            case COMMITS -> DiffView.Basis.COMMITS;
        };
        return new DiffView.Throughput(basis, t.operations(measured), t.nanos());
    }

    private static Key key(SiteRow r, TopView.Grouping grouping) {
        // grouped by site, the other side shown is the most frequent one, not part of the row
        return new Key(r.kind(), r.key(), r.frames(), grouping == TopView.Grouping.PAIR ? r.otherFrames() : List.of());
    }

    private static DiffView.Figures figures(SiteRow r) {
        return new DiffView.Figures(r.count(), r.lostNanos(), r.pausedNanos());
    }

    public DiffView.Side base() {
        return base;
    }

    public DiffView.Side current() {
        return current;
    }

    /** Every row, ranked. */
    public List<DiffView.SiteChange> rows() {
        return rows;
    }

    public DiffView.StatusCounts counts() {
        return counts;
    }

    /** The comparison with its first {@code limit} rows. */
    public DiffView view(int limit) {
        return new DiffView(base, current, grouping, ranking, depth, counts, rows.subList(0, Math.min(limit, rows.size())));
    }
}
