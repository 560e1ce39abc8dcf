package dev.stmlog.analyzer;

import dev.stmlog.format.Damage;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Frame;
import dev.stmlog.reports.export.StackProfile;
import dev.stmlog.reports.DamageView;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.SummaryView;
import dev.stmlog.reports.ThreadRow;
import dev.stmlog.reports.Timeline;
import dev.stmlog.reports.TopView;
import dev.stmlog.reports.TransactionTotals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The merged result of reading some logs, and its mapping onto the reports' views. */
public final class Analysis {
    private final List<String> files;
    private final AnalysisOptions options;
    private final List<ReadResult> results;
    private final Map<SiteKey, Site> sites = new LinkedHashMap<>();
    private final List<ThreadState> threads = new ArrayList<>();
    private final Map<String, ThreadState> threadsByKey = new HashMap<>();
    private final Unexpected unexpected = new Unexpected();
    private long gcNanos;
    private long endNanos;
    private long marks;
    /** Conflicts recorded without a side, completed from the others on their object. */
    private long mergedConflicts;
    private long firstMark = Long.MAX_VALUE, lastMark = Long.MIN_VALUE;
    private long windowStart = Long.MAX_VALUE, windowEnd = Long.MIN_VALUE;
    private final List<dev.stmlog.format.event.Metadata> metadata = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    /** The lines where transactions called {@code Stm.inevitable()}, over all logs (for {@link Hints}). */
    private final java.util.Set<Frame> inevitableCalls = new java.util.HashSet<>();
    /** The lines where transactions were entered, over all logs (for {@link Hints}). */
    private final java.util.Set<Frame> entries = new java.util.HashSet<>();

    Analysis(List<String> files, AnalysisOptions options, List<FileAggregator> aggregators, List<ReadResult> results) {
        this.files = List.copyOf(files);
        this.options = options;
        this.results = List.copyOf(results);
        for (FileAggregator a : aggregators) {
            a.finish();
            mergedConflicts += a.join.merged;
            inevitableCalls.addAll(a.inevitableCalls);
            entries.addAll(a.entries);
            for (Map.Entry<SiteKey, Site> e : a.sites.entrySet()) {
                Site s = sites.get(e.getKey());
                if (s == null) sites.put(e.getKey(), e.getValue());
                else s.merge(e.getValue());
            }
            List<ThreadState> ts = a.threads.values();
            ts.sort(Comparator.comparingLong(t -> t.id));
            long max = a.maxTime;
            for (ThreadState t : ts) {
                max = Math.max(max, t.lastTime);
                t.active |= t.committed + t.aborted + t.unfinished > 0 || t.pausedNanos > 0 || t.inTx;
                // attempts still open at the end of the log are unfinished, counted nowhere
                if (t.inTx && t.included) t.unfinished++;
                threads.add(t);
                threadsByKey.put(a.threadKey(t), t);
            }
            unexpected.add(a.unexpected);
            gcNanos += a.gcNanos;
            marks += a.marks;
            if (a.marks > 0) {
                firstMark = Math.min(firstMark, a.firstMark + a.offset);
                lastMark = Math.max(lastMark, a.lastMark + a.offset);
            }
            if (a.windowStart != Long.MAX_VALUE) windowStart = Math.min(windowStart, a.windowStart + a.offset);
            if (a.windowEnd != Long.MIN_VALUE) windowEnd = Math.max(windowEnd, a.windowEnd + a.offset);
            metadata.add(a.metadata);
            offsets.add(a.offset);
            if (max != Long.MIN_VALUE) endNanos = Math.max(endNanos, max + a.offset);
        }
    }

    public List<ReadResult> results() {
        return results;
    }

    public Unexpected unexpected() {
        return unexpected;
    }

    /** Events read from all the logs. */
    public long events() {
        long n = 0;
        for (ReadResult r : results) n += r.events();
        return n;
    }

    /** Nanoseconds from the (earliest) recording's start to the last event. */
    public long endNanos() {
        return endNanos;
    }

    private long windowFrom() {
        return options.fromNanos();
    }

    private long windowTo() {
        return Math.max(windowFrom(), Math.min(options.toNanos(), endNanos));
    }

    /** User marks in the window, over all logs (the marks that declare a measured window aside). */
    public long marks() {
        return marks;
    }

    /** The first and last of {@link #marks()}, on the shared time line; null when there are none. */
    public TimeSpan markSpan() {
        return marks == 0 ? null : new TimeSpan(firstMark, lastMark);
    }

    /**
     * The measured window the programs declared (the earliest {@code window.start} mark to the
     * latest {@code window.end}, see {@link Throughput}), whatever the analysed window; null
     * unless both were marked, in that order.
     */
    public TimeSpan declaredWindow() {
        return windowStart == Long.MAX_VALUE || windowEnd == Long.MIN_VALUE || windowEnd < windowStart
                ? null : new TimeSpan(windowStart, windowEnd);
    }

    /** Each log's metadata, in the order the logs were given (null where it was lost). */
    public List<dev.stmlog.format.event.Metadata> metadata() {
        return java.util.Collections.unmodifiableList(metadata);
    }

    // ---------------------------------------------------------------- views

    /**
     * The threads' sampled spans on the shared time line (empty unless the analysis kept spans,
     * see {@link Analyzer#analyze(List, AnalysisOptions, LogSource.Options, Progress, int)}).
     */
    public List<dev.stmlog.reports.ThreadTimelineView> timelines() {
        List<dev.stmlog.reports.ThreadTimelineView> out = new ArrayList<>();
        for (ThreadState t : threads) {
            if (!t.included || !t.active || t.spans == null) continue;
            out.add(new dev.stmlog.reports.ThreadTimelineView(threadId(t), t.name, t.spans.spans(offsets.get(t.file)),
                    t.spans.seen, t.spans.stride()));
        }
        return out;
    }

    /** Contentions per kind in {@code columns} equal parts of the analysed time (aborts and waits with no contention left out). */
    public dev.stmlog.reports.ConflictSeries conflictSeries(int columns) {
        long from = windowFrom(), to = windowTo();
        Map<String, int[]> byKind = new java.util.TreeMap<>();
        for (Site s : sites.values()) {
            if (s.key.kind().unexplained() || s.count == 0) continue;
            int[] t = s.timeline(from, to, columns);
            int[] sum = byKind.computeIfAbsent(s.key.kind().label(), k -> new int[columns]);
            for (int i = 0; i < columns; i++) sum[i] += t[i];
        }
        return new dev.stmlog.reports.ConflictSeries(from, to, columns, byKind);
    }

    public SummaryView summary() {
        long committed = 0, aborted = 0, committedNanos = 0, abortedNanos = 0, pausedNanos = 0, unfinished = 0;
        List<ThreadRow> rows = new ArrayList<>();
        int count = 0;
        for (ThreadState t : threads) {
            if (!t.included || !t.active) continue;
            count++;
            committed += t.committed;
            aborted += t.aborted;
            committedNanos += t.committedNanos;
            abortedNanos += t.abortedNanos;
            pausedNanos += t.pausedNanos;
            unfinished += t.unfinished;
            rows.add(new ThreadRow(threadId(t), t.name, new TransactionTotals(t.committed, t.aborted, t.committedNanos,
                    t.abortedNanos, t.pausedNanos)));
        }
        return new SummaryView(new SummaryView.Sources(files, events()), windowTo() - windowFrom(),
                new SummaryView.Window(windowFrom(), options.toNanos() == Long.MAX_VALUE ? windowTo() : options.toNanos(),
                        options.windowed()),
                count, new TransactionTotals(committed, aborted, committedNanos, abortedNanos, pausedNanos), gcNanos,
                new SummaryView.Anomalies(unfinished, unexpected.total()), damage(), rows);
    }

    /**
     * The time lost and paused by stack, for flame graphs: per row, the conflict's kind as the
     * root, then the victim's frames outermost first (as deep as the analysis's depth), and, in
     * an analysis by pair, the other side's top frame as a pseudo-frame above the victim's line.
     * A row without a stack ends in the same pseudo-frame as its {@code top} key. The samples'
     * sum is {@code top}'s lost + paused total.
     */
    public StackProfile stackProfile(String name) {
        List<StackProfile.Sample> samples = new ArrayList<>();
        for (Site s : sites.values()) {
            if (s.lost + s.paused == 0) continue;
            SiteKey k = s.key;
            List<StackProfile.Frame> stack = new ArrayList<>();
            stack.add(StackProfile.Frame.pseudo(k.kind().label()));
            if (k.frames().isEmpty()) stack.add(StackProfile.Frame.pseudo(victimText(k, k.kind().unexplained())));
            for (int i = k.frames().size() - 1; i >= 0; i--) {
                Frame f = k.frames().get(i);
                stack.add(new StackProfile.Frame(f.className() + "." + f.method(), f.file(), f.line()));
            }
            if (options.by() == Grouping.PAIR) {
                stack.add(StackProfile.Frame.pseudo("other side: "
                        + (k.otherFrames().isEmpty() ? "(unknown)" : k.otherFrames().get(0).toString())));
            }
            samples.add(new StackProfile.Sample(stack, s.lost + s.paused));
        }
        return new StackProfile(name, samples);
    }

    /** The rows ranked by {@code sort}, the first {@code limit} of them. */
    public TopView top(SortKey sort, int limit, SourceLines sources) {
        List<Site> ranked = new ArrayList<>(sites.values());
        ranked.removeIf(s -> s.count == 0 && s.lost == 0 && s.paused == 0);
        Comparator<Site> order = Comparator.<Site>comparingLong(sort::of).reversed()
                .thenComparing(Comparator.<Site>comparingLong(s -> s.lost + s.paused).reversed())
                .thenComparing(Comparator.<Site>comparingLong(s -> s.count).reversed())
                .thenComparing(s -> s.key.kind().label())
                .thenComparing(this::keyText);
        ranked.sort(order);
        List<SiteRow> rows = new ArrayList<>();
        long from = windowFrom(), to = windowTo();
        for (int i = 0; i < Math.min(limit, ranked.size()); i++) {
            Site s = ranked.get(i);
            List<Frame> other = options.by() == Grouping.PAIR ? s.key.otherFrames() : s.topOther();
            String source = s.key.frames().isEmpty() || sources == null ? null : sources.line(s.key.frames().get(0));
            String otherSource = other.isEmpty() || sources == null ? null : sources.line(other.get(0));
            rows.add(new SiteRow(i + 1, s.key.kind(), keyText(s), s.count, s.lost, s.paused, strings(s.key.frames()),
                    strings(other), options.by() == Grouping.PAIR ? (other.isEmpty() ? 0 : 1) : s.otherVariants(),
                    source, otherSource, s.timeline(from, to, Timeline.COLUMNS), Hints.of(s, options.by(), inevitableCalls, entries)));
        }
        return new TopView(summary(), grouping(options.by()), ranking(sort), options.depth(), ranked.size(), mergedConflicts,
                rows);
    }

    private static TopView.Grouping grouping(Grouping by) {
        return switch (by) {
            case SITE -> TopView.Grouping.SITE;
            case PAIR -> TopView.Grouping.PAIR;
            case KIND -> TopView.Grouping.KIND;
            case THREAD -> TopView.Grouping.THREAD;
            case REF -> TopView.Grouping.REF;
        };
    }

    private static TopView.Ranking ranking(SortKey sort) {
        return switch (sort) {
            case LOST -> TopView.Ranking.LOST;
            case PAUSED -> TopView.Ranking.PAUSED;
            case TOTAL -> TopView.Ranking.TOTAL;
            case COUNT -> TopView.Ranking.COUNT;
        };
    }

    private String keyText(Site s) {
        SiteKey k = s.key;
        boolean unknown = k.kind().unexplained();
        return switch (options.by()) {
            case SITE -> victimText(k, unknown);
            case PAIR -> victimText(k, unknown) + " <> " + (k.otherFrames().isEmpty() ? "(unknown)" : k.otherFrames().get(0).toString());
            case KIND -> k.kind().label();
            case THREAD -> {
                ThreadState t = threadsByKey.get(k.thread());
                yield t == null ? k.thread() : threadId(t) + (t.name.isEmpty() ? "" : " " + t.name);
            }
            case REF -> k.label() == null || k.label().isEmpty() ? "(no label)" : k.label();
        };
    }

    /** The victim's top frame; without a stack, the contended Ref when it has a label. */
    private static String victimText(SiteKey k, boolean unknown) {
        if (!k.frames().isEmpty()) return k.frames().get(0).toString();
        if (unknown) return "(unknown)";
        return k.label() == null || k.label().isEmpty() ? "(no stack)" : "(no stack; Ref " + k.label() + ")";
    }

    private String threadId(ThreadState t) {
        return ThreadId.shown(t.file, t.id, files.size() > 1);
    }

    private static List<String> strings(List<Frame> frames) {
        List<String> out = new ArrayList<>(frames.size());
        for (Frame f : frames) out.add(f.toString());
        return out;
    }

    /** What of the logs was lost, summed over them; each note names its log. */
    public DamageView damage() {
        boolean truncated = false;
        long skipped = 0, lost = 0, missing = 0, malformed = 0;
        List<String> notes = new ArrayList<>();
        for (ReadResult r : results) {
            DamageView d = damage(r.damage());
            truncated |= d.truncated();
            skipped += d.bytesSkipped();
            lost += d.eventsLost();
            missing += d.missingChunks();
            malformed += d.malformedRecords();
            for (String n : d.notes()) notes.add(r.name() + ": " + n);
        }
        return new DamageView(truncated, skipped, lost, missing, malformed, notes);
    }

    /** What of one log was lost, as the reports show it. */
    static DamageView damage(Damage d) {
        return new DamageView(d.truncatedAt() >= 0, d.bytesSkipped(), d.eventsLost(), d.missingChunks(),
                d.malformedRecords(), d.notes());
    }

    /**
     * One line per damaged log, saying what was lost: {@code app.stmlog: truncated at byte 8123,
     * 1 chunk missing, 12 events dropped by the writer}.
     */
    public List<String> damageLines() {
        List<String> lines = new ArrayList<>();
        for (ReadResult r : results) {
            String line = damageLine(r);
            if (line != null) lines.add(line);
        }
        return lines;
    }

    /** {@link #damageLines()}'s line for one log, or null when nothing of it was lost. */
    public static String damageLine(ReadResult r) {
        Damage d = r.damage();
        if (!d.isDamaged() && d.eventsLost() == 0) return null;
        List<String> parts = new ArrayList<>();
        if (d.truncatedAt() >= 0) parts.add("truncated at byte " + d.truncatedAt());
        if (d.bytesSkipped() > 0) parts.add(d.bytesSkipped() + " damaged bytes skipped ("
                + d.damagedRegions() + (d.damagedRegions() == 1 ? " region)" : " regions)"));
        if (d.missingChunks() > 0) parts.add(d.missingChunks() + " chunk(s) missing");
        if (d.malformedRecords() > 0) parts.add(d.malformedRecords() + " malformed record(s) skipped");
        if (d.unresolvedReferences() > 0) parts.add(d.unresolvedReferences() + " reference(s) to lost stacks or names");
        if (d.eventsLost() > 0) parts.add(d.eventsLost() + " event(s) dropped by the writer");
        return r.name() + ": " + String.join(", ", parts) + "; " + r.events() + " events recovered";
    }
}
