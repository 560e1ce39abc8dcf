package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.RowKind;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates one log in one pass, as a state machine per thread (see the README's
 * "What is charged where"). Transaction starts, commits, aborts and waits, most of any log,
 * arrive through the reader's primitive methods and allocate nothing: the thread's state is
 * found through a one-entry cache (a chunk holds one thread's events) or a primitive-keyed map.
 * Memory grows with the threads and the distinct sites, not with the file.
 */
final class FileAggregator implements EventVisitor {
    /** The metadata key that says how the runtime timed attempts: {@code sampled} or {@code exact}. */
    static final String TIMING = "timing";

    /** Frames of the runtime itself, skipped to find the top user frame. */

    private static final WaitKind[] WAIT_KINDS = WaitKind.values();
    private static final AbortCause[] CAUSES = AbortCause.values();

    final int file;
    /** Added to this log's times to put them on the time line shared by all logs. */
    final long offset;
    private final AnalysisOptions options;
    private final Grouping by;
    private final int depth;
    private final LogWindow window;
    private final String threadFilter;

    final LongMap<ThreadState> threads = new LongMap<>();
    final Map<SiteKey, Site> sites = new HashMap<>();
    final Unexpected unexpected = new Unexpected();
    final ConflictJoin join = new ConflictJoin();
    /** Whether UNTIMED_START records make their attempts' lost time an estimate. */
    private boolean untimedStarts = true;
    /**
     * Per object and kind: the lost time of exactly timed attempts that aborted on it (sum,
     * count), which estimates that of untimed ones whose re-run was not timed; and the same
     * over all objects.
     */
    private final Map<ConflictJoin.Key, long[]> exactLost = new HashMap<>();
    private final long[] exactLostAll = new long[2];
    private final Map<Stack, List<Frame>> trimmed = new IdentityHashMap<>();
    private final Site[] abortSites = new Site[CAUSES.length];
    private final Site[] waitSites = new Site[WAIT_KINDS.length];
    /** For the hints: where the threads read and wrote each contended object. */
    private final Hints.AccessLines accessLines = new Hints.AccessLines();
    /** For the hints: the lines where transactions called {@code Stm.inevitable()} (see {@link Hints}). */
    final java.util.Set<Frame> inevitableCalls = new java.util.HashSet<>();
    /** For the hints: the lines where transactions were entered (victims flagged "at entry"). */
    final java.util.Set<Frame> entries = new java.util.HashSet<>();

    private long cachedId = Long.MIN_VALUE;
    private ThreadState cached;

    Metadata metadata;
    long maxTime = Long.MIN_VALUE;
    long gcNanos;
    /** User marks in the window (completed operations, for throughput), the window's own marks aside. */
    long marks;
    /** Times of the first and last of those marks (MAX_VALUE, MIN_VALUE: none). */
    long firstMark = Long.MAX_VALUE, lastMark = Long.MIN_VALUE;
    /** The measured window the program declared with marks (see {@link Throughput}); MAX_VALUE, MIN_VALUE: none. */
    long windowStart = Long.MAX_VALUE, windowEnd = Long.MIN_VALUE;
    /** Spans kept per thread for the report's time line; 0: none recorded. */
    private final int spansPerThread;

    FileAggregator(int file, long offset, AnalysisOptions options) {
        this(file, offset, options, 0);
    }

    FileAggregator(int file, long offset, AnalysisOptions options, int spansPerThread) {
        this.spansPerThread = spansPerThread;
        this.file = file;
        this.offset = offset;
        this.options = options;
        this.by = options.by();
        this.depth = options.depth();
        this.window = LogWindow.of(options, offset);
        this.threadFilter = options.thread();
    }

    // ---------------------------------------------------------------- the hot path

    /** The thread's state, the time check done: the cold path of every event but the hot four. */
    private ThreadState state(long thread, long time) {
        ThreadState s = thread == cachedId ? cached : lookup(thread);
        if (time < s.lastTime) unexpected.timeBackwards++;
        else s.lastTime = time;
        return s;
    }

    private ThreadState lookup(long thread) {
        ThreadState s = threads.get(thread);
        if (s == null) {
            s = new ThreadState(file, thread);
            s.included = threadFilter == null || matchesId(thread);
            if (spansPerThread > 0) s.spans = new SpanSampler(spansPerThread);
            threads.put(thread, s);
        }
        cachedId = thread;
        cached = s;
        return s;
    }

    private boolean inWindow(long time) {
        return window.contains(time);
    }

    // The four hottest methods are kept small, so that the JIT inlines them into the reader's
    // decoding loop: the usual case inline, anything unusual in a separate method.

    @Override
    public void txStart(long time, long thread) {
        ThreadState s = thread == cachedId ? cached : lookup(thread);
        if (time < s.lastTime) unexpected.timeBackwards++;
        else s.lastTime = time;
        if (!s.included) return;
        if (s.inTx || s.waitKind != 0) {
            unusualStart(s, time);
        }
        s.inTx = true;
        s.txStart = time;
        s.attempts++;
        s.pausedInTx = 0;
        s.contention = null;
        s.contentionKey = null;
        s.contentionExact = null;
        s.untimed = false;
    }

    private void unusualStart(ThreadState s, long time) {
        if (s.waitKind != 0) {
            unexpected.txEventDuringWait++;
            closeWait(s, time);
        }
        if (s.inTx) {
            unexpected.nestedStart++;
            s.unfinished++;
        }
    }

    @Override
    public void txCommit(long time, long thread) {
        ThreadState s = attemptEnd(time, thread, true);
        if (s == null) return;
        s.contention = null;
        if (s.rerunOf != null) chargeRerun(s, Math.max(0, time - s.txStart - s.pausedInTx));
        if (inWindow(time)) {
            s.committed++;
            s.committedNanos += Math.max(0, time - s.txStart - s.pausedInTx);
            if (s.spans != null) {
                s.spans.add(s.txStart, time, s.inevitableTx == s.txStart ? SpanSampler.INEVITABLE : SpanSampler.COMMITTED);
            }
        }
    }

    /**
     * A batch of transactions that started and committed with nothing in between: counted as
     * committed attempts, {@code busyNanos} as their committed time. It never falls inside an
     * attempt; if it does (a broken log), the open attempt is counted unfinished.
     */
    @Override
    public void txCommits(long time, long thread, long count, long busyNanos) {
        ThreadState s = state(thread, time);
        if (!s.included) return;
        if (s.inTx || s.waitKind != 0) unusualStart(s, time);
        s.inTx = false;
        s.contention = null;
        if (s.rerunOf != null) chargeRerun(s, -1); // the re-run was not timed on its own
        if (inWindow(time)) {
            s.committed += count;
            s.committedNanos += busyNanos;
            if (s.spans != null) s.spans.add(time - busyNanos, time, SpanSampler.COMMITTED);
        }
    }

    /**
     * The thread's state at a commit or abort, its attempt closed; null when the event is to be
     * ignored: the thread is filtered out, or no attempt is open (counted as unexpected).
     */
    private ThreadState attemptEnd(long time, long thread, boolean commit) {
        ThreadState s = thread == cachedId ? cached : lookup(thread);
        if (time < s.lastTime) unexpected.timeBackwards++;
        else s.lastTime = time;
        if (!s.included) return null;
        if ((!s.inTx || s.waitKind != 0) && !unusualEnd(s, time)) {
            if (commit) unexpected.commitWithoutStart++;
            else unexpected.abortWithoutStart++;
            return null;
        }
        s.inTx = false;
        return s;
    }

    /** A commit or abort during a wait or outside an attempt; false when it is to be ignored. */
    private boolean unusualEnd(ThreadState s, long time) {
        if (s.waitKind != 0) {
            unexpected.txEventDuringWait++;
            closeWait(s, time);
        }
        return s.inTx;
    }

    @Override
    public void txAbort(long time, long thread, AbortCause cause) {
        ThreadState s = attemptEnd(time, thread, false);
        if (s == null) return;
        long lost = Math.max(0, time - s.txStart - s.pausedInTx);
        // the transaction's own time, for the hints, when exact and with no stack walk in it
        s.abortedRun = !s.untimed && s.walkedIn != s.attempts ? lost : -1;
        if (s.rerunOf != null) chargeRerun(s, s.untimed ? -1 : lost);
        boolean estimated = s.untimed && cause == AbortCause.CONFLICT && s.contentionKey != null;
        if (!s.untimed && cause == AbortCause.CONFLICT && s.contentionKey != null) exactLost(s.contentionExact, lost);
        if (inWindow(time)) {
            s.aborted++;
            if (s.spans != null) s.spans.add(s.txStart, time, SpanSampler.ABORTED);
            Site site = s.contention;
            if (site == null) {
                site = abortSite(cause, s);
                site.count++;
                site.mark(time + offset);
            }
            if (estimated) {
                s.rerunOf = site;
                s.rerunKey = s.contentionKey;
            } else {
                s.abortedNanos += lost;
                site.lost += lost;
            }
        }
        // s.contention stays: a backoff or retry wait before the next attempt is charged to it
    }

    /**
     * Charges the thread's last untimed aborted attempt (see {@link ThreadState#rerunOf}) the
     * time of its re-run, {@code rerun} ns from start to end less waits: the same transaction
     * run again, right after, which is what it would have cost to the abort, give or take how far
     * it had got (a conflict met at commit, the common case, lets it run to its end). Without
     * a timed re-run ({@code rerun} &lt; 0), the mean of the exactly timed attempts that aborted
     * on the same object and kind, else on any, else nothing. Before, the attempt's start was
     * placed by the sampling clock: a tick in it charged the conflict 10 ms, and none nothing.
     */
    private void chargeRerun(ThreadState s, long rerun) {
        long lost = rerun;
        if (lost < 0) {
            long[] same = exactLost.get(s.rerunKey);
            lost = same != null && same[1] > 0 ? same[0] / same[1]
                    : exactLostAll[1] > 0 ? exactLostAll[0] / exactLostAll[1] : 0;
        }
        s.rerunOf.lost += lost;
        s.abortedNanos += lost;
        s.rerunOf = null;
        s.rerunKey = null;
    }

    /** Counts an exactly timed attempt that aborted on a conflict: {@code same} is its key's sum and count. */
    private void exactLost(long[] same, long lost) {
        same[0] += lost;
        same[1]++;
        exactLostAll[0] += lost;
        exactLostAll[1]++;
    }

    @Override
    public void waitBegin(long time, long thread, WaitKind kind) {
        ThreadState s = state(thread, time);
        if (!s.included) return;
        if (s.waitKind != 0) {
            unexpected.nestedWait++;
            closeWait(s, time);
        }
        s.waitKind = kind.ordinal() + 1;
        s.waitStart = time;
    }

    @Override
    public void waitEnd(long time, long thread, WaitKind kind) {
        ThreadState s = state(thread, time);
        if (!s.included) return;
        if (s.waitKind == 0) {
            unexpected.waitEndWithoutBegin++;
            return;
        }
        if (s.waitKind != kind.ordinal() + 1) unexpected.waitKindMismatch++;
        closeWait(s, time);
    }

    private void closeWait(ThreadState s, long time) {
        long paused = Math.max(0, time - s.waitStart);
        WaitKind kind = WAIT_KINDS[s.waitKind - 1];
        s.waitKind = 0;
        if (s.inTx) s.pausedInTx += paused;
        if (inWindow(time)) {
            s.pausedNanos += paused;
            if (s.spans != null) s.spans.add(s.waitStart, time, SpanSampler.WAIT);
            Site site = s.contention;
            if (site == null) {
                site = waitSite(kind, s);
                site.count++;
                site.mark(s.waitStart + offset);
            }
            site.paused += paused;
        }
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public void metadata(Metadata metadata) {
        this.metadata = metadata;
        // an exact log marks the attempts that the default timing would not have timed too
        untimedStarts = !"exact".equals(metadata.user().get(TIMING)) || options.estimateUntimed();
    }

    @Override
    public void event(Event e) {
        if (e instanceof Contention c) {
            contention(c.time(), c.thread(), c.kind(), c.otherThread(), c.victimStack(), c.otherStack(), c.readStack(),
                    c.label(), c.ref(), c.victimAtEntry(), c.otherChange(), c.otherNanos());
        } else if (e instanceof AccessSite a) {
            accessSite(a);
        } else if (e instanceof UntimedStart u) {
            ThreadState s = state(u.thread(), u.time());
            if (s.inTx && untimedStarts) s.untimed = true;
        } else if (e instanceof ThreadStart t) {
            // may sit in another thread's chunk: no time check, no change of the cached thread
            ThreadState s = threads.get(t.thread());
            if (s == null) s = state(t.thread(), Long.MIN_VALUE);
            s.name = t.name();
            if (threadFilter != null && threadFilter.equals(t.name())) s.included = true;
            if (t.time() > maxTime) maxTime = t.time();
        } else if (e instanceof GcPause g) {
            long end = g.time() + g.durationNanos();
            if (end > maxTime) maxTime = end;
            if (inWindow(g.time())) gcNanos += g.durationNanos();
        } else if (e instanceof UserMark m) {
            mark(m.time(), m.thread(), m.name(), m.value());
        } else if (e instanceof UserMarks m) {
            if (m.time() > maxTime) maxTime = m.time();
            userMark(m.name(), m.time(), m.count());
        } else if (e instanceof BecomeInevitable b) {
            if (b.time() > maxTime) maxTime = b.time();
            ThreadState s = threads.get(b.thread());
            if (s != null && s.inTx) {
                s.inevitableTx = s.txStart;
                s.walkedIn = s.attempts; // its stack was walked
            }
        } else {
            // marks, inevitability, data loss (counted by the reader): only their time matters
            if (e.time() > maxTime) maxTime = e.time();
        }
    }

    @Override
    public void mark(long time, long thread, String name, long value) {
        if (time > maxTime) maxTime = time;
        userMark(name, time, 1);
    }

    /**
     * {@code count} marks at {@code time}: marks that declare the measured window, whatever the
     * analysed window; else counted operations.
     */
    private void userMark(String name, long time, long count) {
        if (name.equals(Throughput.WINDOW_START)) {
            windowStart = Math.min(windowStart, time);
        } else if (name.equals(Throughput.WINDOW_END)) {
            windowEnd = Math.max(windowEnd, time);
        } else if (inWindow(time)) {
            marks += count;
            firstMark = Math.min(firstMark, time);
            lastMark = Math.max(lastMark, time);
        }
    }

    /**
     * A contention: charged to its site, or, lacking a side, apart until the side is known (see
     * {@link ConflictJoin}). What that takes from the contention's shape (its kind, stacks, label,
     * Ref) is worked out once per shape ({@link Shape}); a log repeats a few hundred shapes
     * millions of times, and working it out each time (trimming stacks, hashing frame lists for
     * the site and the join's tallies) was most of the time a mixed log took to analyse.
     */
    @Override
    public void contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                           Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                           ValueChange otherChange, long otherNanos) {
        ThreadState s = state(thread, time);
        if (!s.included) return;
        if (s.open != null) close(s);
        if (!victimStack.isEmpty()) s.walkedIn = s.attempts; // its stack was walked, most likely: not the attempt's own time
        Shape sh = shape(kind, victimStack, otherStack, label, ref, victimAtEntry, s);
        s.contentionKey = sh.key;
        s.contentionExact = sh.exactLost;
        s.active = true;
        if (sh.victimKnown) sh.victimTally++;
        if (!sh.other.isEmpty()) sh.otherTally++;
        boolean in = inWindow(time);
        Site site = sh.site;
        if (site != null) {
            if (by == Grouping.SITE && in) {
                long[] c = sh.otherCount;
                if (c != null) c[0]++;
                else sh.otherCount = site.other(sh.other, 1);
            }
        } else {
            // Lacking a side: charged apart until the side is known (see ConflictJoin).
            s.open = new ConflictJoin.Open(sh.key, label, s.id, otherThread, sh.victim, victimAtEntry, sh.other);
            s.openAttempt = s.attempts;
            site = s.open.charges;
            site.onObject(ref, label);
        }
        s.contention = site;
        if (in) {
            site.count++;
            site.mark(time + offset);
            if (otherChange != ValueChange.NOT_KNOWN || otherNanos >= 0) site.evidence().otherCommit(otherChange, otherNanos);
        }
    }

    /**
     * What handling a contention works out from its shape: its trimmed stacks, its join key, its
     * site when both sides are known (or sides do not matter to the grouping), the sum of the
     * exactly timed aborts on its key; and the tallies for the join not yet handed to it (they are
     * only read at the end, so adding them up here first changes nothing).
     */
    private static final class Shape {
        final ContentionKind kind;
        final Stack victimStack;
        final Stack otherStack;
        final String label;
        final long ref;
        final boolean atEntry;
        final long thread;
        final int hash;

        List<Frame> victim;
        List<Frame> other;
        ConflictJoin.Key key;
        boolean victimKnown;
        Site site;
        long[] exactLost;
        /** The site's count of {@link #other}, once it keeps one; null: ask the site each time. */
        long[] otherCount;
        long victimTally;
        long otherTally;

        Shape(ContentionKind kind, Stack victimStack, Stack otherStack, String label, long ref, boolean atEntry,
              long thread, int hash) {
            this.kind = kind;
            this.victimStack = victimStack;
            this.otherStack = otherStack;
            this.label = label;
            this.ref = ref;
            this.atEntry = atEntry;
            this.thread = thread;
            this.hash = hash;
        }

        boolean is(ContentionKind kind, Stack victimStack, Stack otherStack, String label, long ref, boolean atEntry,
                   long thread) {
            return this.victimStack == victimStack && this.otherStack == otherStack && this.ref == ref
                    && this.kind == kind && this.atEntry == atEntry && this.thread == thread
                    && java.util.Objects.equals(this.label, label);
        }
    }

    /** Shapes kept at most; past that the table is emptied (its tallies handed over) and refilled. */
    private static final int MAX_SHAPES = 1 << 12;
    private Shape[] shapes = new Shape[64];
    private int shapeCount;

    private Shape shape(ContentionKind kind, Stack victimStack, Stack otherStack, String label, long ref,
                        boolean atEntry, ThreadState s) {
        // rows by thread are per thread; the other groupings' sites do not depend on it
        long thread = by == Grouping.THREAD ? s.id : 0;
        int h = System.identityHashCode(victimStack) * 31 + System.identityHashCode(otherStack);
        h = h * 31 + (label == null ? 0 : label.hashCode());
        h = h * 31 + Long.hashCode(ref * 0x9E3779B97F4A7C15L + thread);
        h = (h * 4 + kind.ordinal()) * 2 + (atEntry ? 1 : 0);
        h ^= h >>> 16;
        Shape[] table = shapes;
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Shape sh = table[i];
            if (sh == null) break;
            if (sh.hash == h && sh.is(kind, victimStack, otherStack, label, ref, atEntry, thread)) return sh;
        }
        Shape sh = newShape(kind, victimStack, otherStack, label, ref, atEntry, thread, h, s);
        if (shapeCount + 1 > MAX_SHAPES) {
            flushShapes();
        } else if ((shapeCount + 1) * 2 > shapes.length) {
            Shape[] old = shapes;
            shapes = new Shape[old.length * 2];
            shapeCount = 0;
            for (Shape o : old) if (o != null) insert(o);
        }
        insert(sh);
        return sh;
    }

    private void insert(Shape sh) {
        int mask = shapes.length - 1;
        int i = sh.hash & mask;
        while (shapes[i] != null) i = (i + 1) & mask;
        shapes[i] = sh;
        shapeCount++;
    }

    private Shape newShape(ContentionKind kind, Stack victimStack, Stack otherStack, String label, long ref,
                           boolean atEntry, long thread, int hash, ThreadState s) {
        Shape sh = new Shape(kind, victimStack, otherStack, label, ref, atEntry, thread, hash);
        sh.victim = trim(victimStack);
        sh.other = trim(otherStack);
        sh.key = ConflictJoin.Key.of(kind, ref, label, sh.other);
        sh.victimKnown = !sh.victim.isEmpty() && !atEntry;
        sh.exactLost = exactLost.computeIfAbsent(sh.key, x -> new long[2]);
        boolean sides = by == Grouping.SITE || by == Grouping.PAIR;
        if (!sides || (sh.victimKnown && !sh.other.isEmpty())) {
            sh.site = sites.computeIfAbsent(siteKey(SiteKey.kind(kind), sh.victim, sh.other, label, s), Site::new);
            sh.site.onObject(ref, label);
        }
        // what the hints need from the conflict's sides: where the object was read and written,
        // and where transactions called Stm.inevitable() (a wait for the token, no object, the
        // victim's own call: see Hints)
        if (atEntry && !sh.victim.isEmpty()) entries.add(sh.victim.get(0));
        if (kind == ContentionKind.INEVITABLE) {
            if (ref == 0 && label == null && sh.victimKnown) inevitableCalls.add(sh.victim.get(0));
        } else {
            if (sh.victimKnown) accessLines.add(ref, kind == ContentionKind.WRITE_WRITE, sh.victim);
            accessLines.add(ref, true, sh.other);
        }
        return sh;
    }

    /** Hands the shapes' tallies to the join and forgets the shapes. */
    private void flushShapes() {
        for (Shape sh : shapes) {
            if (sh == null) continue;
            if (sh.victimTally > 0) join.sawVictim(sh.key, sh.victim, sh.victimTally);
            if (sh.otherTally > 0) join.sawOther(sh.key, sh.other, sh.otherTally);
        }
        shapes = new Shape[64];
        shapeCount = 0;
    }

    private SiteKey siteKey(RowKind kind, List<Frame> victim, List<Frame> other, String label, ThreadState s) {
        // Without the victim's stack, the contended Ref's label is what tells sites apart.
        String refIfNoStack = victim.isEmpty() ? label : null;
        return switch (by) {
            case SITE -> new SiteKey(kind, victim, List.of(), null, refIfNoStack);
            case PAIR -> new SiteKey(kind, victim, other, null, refIfNoStack);
            case KIND -> new SiteKey(kind, List.of(), List.of(), null, null);
            case THREAD -> new SiteKey(kind, List.of(), List.of(), threadKey(s), null);
            case REF -> new SiteKey(kind, List.of(), List.of(), null, label == null ? "" : label);
        };
    }

    /** A thread's access to a contended object: it may complete the thread's open conflict. */
    private void accessSite(AccessSite a) {
        ThreadState s = state(a.thread(), a.time());
        List<Frame> frames = trim(a.stack());
        join.accessSite(a.ref(), a.thread(), a.access(), frames);
        boolean write = a.access() == dev.stmlog.format.event.AccessKind.WRITE;
        accessLines.add(a.ref(), write, frames);
        accessLines.thread(a.ref(), write, a.thread());
        if (a.time() > maxTime) maxTime = a.time();
        ConflictJoin.Open o = s.open;
        if (o != null && !frames.isEmpty() && o.completedBy(a.ref(), a.access())) {
            o.victim = frames;
            o.victimAtEntry = false;
            join.sawVictim(o.key, frames, o.charges.count);
            Site target = close(s);
            // the re-run's first read of the object, recorded at its own time, against the aborted
            // attempt's time (see HintEvidence): when the re-run is the attempt right after the
            // conflict's, timed from its start, with no walk before the read
            if (o.key.kind() == ContentionKind.WRITE_READ && s.inTx && s.attempts == s.openAttempt + 1 && !s.untimed
                    && s.walkedIn != s.attempts && s.abortedRun >= 0 && inWindow(a.time())) {
                target.evidence().victimRead(s.id, Math.max(0, a.time() - s.txStart - s.pausedInTx), s.abortedRun);
            }
        }
        s.walkedIn = s.attempts; // recording an access site walked the stack
    }

    /**
     * Files the thread's open conflict: under its site when both sides are now known, else with
     * the conflicts to be completed at the end ({@link #finish}). Later charges of the attempt
     * (a backoff after the abort) follow it.
     */
    private Site close(ThreadState s) {
        ConflictJoin.Open o = s.open;
        s.open = null;
        Site target;
        if (o.victimKnown() && !o.other.isEmpty()) {
            target = file(o.key.kind(), o.victim, o.other, o.label, o.charges, s);
        } else {
            target = join.keepUnresolved(o);
        }
        if (s.contention == o.charges) s.contention = target;
        if (s.rerunOf == o.charges) s.rerunOf = target;
        return target;
    }

    private Site file(ContentionKind kind, List<Frame> victim, List<Frame> other, String label, Site figures,
                      ThreadState s) {
        Site site = sites.computeIfAbsent(siteKey(SiteKey.kind(kind), victim, other, label, s), Site::new);
        site.merge(figures);
        if (by == Grouping.SITE && !other.isEmpty() && figures.count > 0) site.other(other, figures.count);
        return site;
    }

    /**
     * At the end of the log: files the conflicts still lacking a side, completed from the others
     * on their object where they can be ({@link ConflictJoin#resolve}).
     */
    void finish() {
        flushShapes();
        for (ThreadState s : threads.values()) {
            if (s.rerunOf != null) chargeRerun(s, -1);
            if (s.open != null) close(s);
        }
        // only rows by site or pair wait for sides, so no thread is needed for the key
        join.resolve((kind, victim, other, label, figures) -> file(kind, victim, other, label, figures, null));
        // the hints' evidence that needs this log's object ids, worked out before logs are merged
        for (Site site : sites.values()) {
            site.updateLine(Hints.updateLine(site, by, accessLines));
            HintEvidence e = site.evidenceOrNull();
            if (e != null) e.victimsCommitted(id -> {
                ThreadState t = threads.get(id);
                return t == null ? null : new long[] {t.committed, t.committedNanos};
            });
        }
    }

    /**
     * A copy of this aggregation as it stands, for {@code stmlog watch} to finish into an
     * {@link Analysis} (which {@link #finish()}es it) while this one reads on: what is still
     * pending here (a conflict waiting for its re-run's access site, an untimed abort waiting for
     * its re-run, conflicts lacking a side) is settled in the copy as at the end of a log, so the
     * snapshot is what {@code top} shows for the log cut at this point; this aggregation settles
     * them later with what comes. Costs the sites, threads and pending conflicts, not the events
     * read. The copy is to be finished at once: it shares the join's tallies, which this one
     * goes on adding to. Handing the contention shapes' tallies to the join here first changes
     * nothing (the shape table does that whenever it fills).
     */
    FileAggregator snapshot() {
        flushShapes();
        FileAggregator c = new FileAggregator(file, offset, options, 0);
        Map<Site, Site> copies = new IdentityHashMap<>();
        java.util.function.UnaryOperator<Site> copy = site -> site == null ? null : copies.computeIfAbsent(site, o -> {
            Site n = new Site(o.key);
            n.merge(o);
            return n;
        });
        for (Map.Entry<SiteKey, Site> e : sites.entrySet()) c.sites.put(e.getKey(), copy.apply(e.getValue()));
        join.copyInto(c.join, copy);
        List<ThreadState> all = threads.values();
        for (ThreadState s : all) {
            ConflictJoin.Open o = s.open;
            if (o == null) continue;
            ConflictJoin.Open n = new ConflictJoin.Open(o.key, o.label, o.thread, o.otherThread, o.victim, o.victimAtEntry,
                    o.other);
            n.charges.merge(o.charges);
            copies.put(o.charges, n.charges);
            ThreadState t = copyOf(s, copy);
            t.open = n;
            c.threads.put(t.id, t);
        }
        for (ThreadState s : all) {
            if (s.open == null) c.threads.put(s.id, copyOf(s, copy));
        }
        c.unexpected.add(unexpected);
        for (Map.Entry<ConflictJoin.Key, long[]> e : exactLost.entrySet()) c.exactLost.put(e.getKey(), e.getValue().clone());
        c.exactLostAll[0] = exactLostAll[0];
        c.exactLostAll[1] = exactLostAll[1];
        c.untimedStarts = untimedStarts;
        c.metadata = metadata;
        c.maxTime = maxTime;
        c.gcNanos = gcNanos;
        c.marks = marks;
        c.firstMark = firstMark;
        c.lastMark = lastMark;
        c.windowStart = windowStart;
        c.windowEnd = windowEnd;
        return c;
    }

    /** A thread's state with its sites mapped through {@code copy} (its open conflict left to the caller). */
    private static ThreadState copyOf(ThreadState s, java.util.function.UnaryOperator<Site> copy) {
        ThreadState t = new ThreadState(s.file, s.id);
        t.name = s.name;
        t.included = s.included;
        t.lastTime = s.lastTime;
        t.inTx = s.inTx;
        t.txStart = s.txStart;
        t.pausedInTx = s.pausedInTx;
        t.waitKind = s.waitKind;
        t.waitStart = s.waitStart;
        t.contention = copy.apply(s.contention);
        t.contentionKey = s.contentionKey;
        t.contentionExact = s.contentionExact;
        t.untimed = s.untimed;
        t.rerunOf = copy.apply(s.rerunOf);
        t.rerunKey = s.rerunKey;
        t.inevitableTx = s.inevitableTx;
        t.attempts = s.attempts;
        t.openAttempt = s.openAttempt;
        t.walkedIn = s.walkedIn;
        t.abortedRun = s.abortedRun;
        t.spans = s.spans;
        t.committed = s.committed;
        t.aborted = s.aborted;
        t.committedNanos = s.committedNanos;
        t.abortedNanos = s.abortedNanos;
        t.pausedNanos = s.pausedNanos;
        t.unfinished = s.unfinished;
        t.active = s.active;
        return t;
    }

    /** The top {@code depth} frames after the runtime's own (all of them if that leaves none). */
    private List<Frame> trim(Stack stack) {
        if (stack.isEmpty()) return List.of();
        List<Frame> t = trimmed.get(stack);
        if (t == null) {
            List<Frame> frames = stack.frames();
            int first = RuntimeFrames.firstUserFrame(frames);
            t = List.copyOf(frames.subList(first, Math.min(frames.size(), first + depth)));
            trimmed.put(stack, t);
        }
        return t;
    }

    private Site abortSite(AbortCause cause, ThreadState s) {
        return unknownSite(SiteKey.unexplained(cause), cause.ordinal(), abortSites, s);
    }

    private Site waitSite(WaitKind kind, ThreadState s) {
        return unknownSite(SiteKey.unexplained(kind), kind.ordinal(), waitSites, s);
    }

    /**
     * The row of aborts or waits with no contention; cached per kind unless rows are per thread
     * (a key made and looked up for every abort and wait was most of their cost).
     */
    private Site unknownSite(RowKind kind, int ordinal, Site[] cache, ThreadState s) {
        if (by == Grouping.THREAD) return sites.computeIfAbsent(unknownKey(kind, s), Site::new);
        Site site = cache[ordinal];
        if (site == null) cache[ordinal] = site = sites.computeIfAbsent(unknownKey(kind, s), Site::new);
        return site;
    }

    private SiteKey unknownKey(RowKind kind, ThreadState s) {
        return switch (by) {
            case SITE, PAIR, KIND -> new SiteKey(kind, List.of(), List.of(), null, null);
            case THREAD -> new SiteKey(kind, List.of(), List.of(), threadKey(s), null);
            case REF -> new SiteKey(kind, List.of(), List.of(), null, "");
        };
    }

    /** The thread as the command line names it: its id, or FILE:ID when several logs are read. */
    String threadKey(ThreadState s) {
        return ThreadId.qualified(file, s.id);
    }

    private boolean matchesId(long thread) {
        return ThreadId.matchesId(threadFilter, file, thread);
    }

    AnalysisOptions options() {
        return options;
    }
}
