package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.runtime.Recorder.ConflictKind;

import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where one thread's conflicts happened, for the {@link Recorder}: each contention with the
 * victim's own access to its Ref and the other side's write of it (the module README's "Both
 * sides of every conflict" says how, and why so).
 *
 * <p>The victim's access is the live stack when the conflict is met at it ({@link
 * #conflictAtAccess}); else the re-run's first access of that kind to the Ref, recorded as an
 * access site that completes the contention in the log ({@link #read}, {@link #write}). The
 * other side is the Ref's latest sampled write site when its thread is the other side; else that
 * thread's next write of the Ref, which is asked for. Stacks cost microseconds, so they are taken
 * only where conflicts are, within a budget of the thread's time ({@link #mayCapture}).
 *
 * <p>The same sites serve the JFR {@code dev.stmlog.Conflict} event ({@link Jfr}) while a Flight
 * Recording runs, with or without the log: without it ({@code log} and {@code pools} null), the
 * stacks are pooled by {@link SiteStacks} and nothing is written but the events. A conflict whose
 * victim access is not known yet keeps its event until the re-run's access completes it, as the
 * log's ACCESS_SITE record does; the event is committed with what is known when the transaction
 * or the next attempt ends first.
 */
final class ConflictSites {

    /**
     * One in this many of a thread's accesses to contended Refs records its site: the sampling
     * is per thread, not per Ref, so that an access costs a decrement when most Refs have been
     * in a conflict once (a large, rarely conflicting workload), not a map lookup.
     */
    private static final int SITE_SAMPLE = 8;
    /**
     * The share of a thread's time that stack walks may take (see {@link #mayCapture}): the
     * victims' accesses, one walk per conflict, up to {@value}%; the sampled access sites of
     * contended Refs only up to {@link #SAMPLE_BUDGET_PERCENT}, so that sampling cannot use up
     * what the victims need (in the primes sample it took most of a shared budget, and conflicts
     * lost their victim's line). Inevitable transactions' stacks are always taken.
     */
    private static final int BUDGET_PERCENT = 2;
    private static final int SAMPLE_BUDGET_PERCENT = 1;
    private static final int ALWAYS = 100;
    private static final long CAPTURE_CREDIT_NANOS = 100_000_000;

    /**
     * Whether any Ref has been contended yet while something records (the log, or a Flight
     * Recording), as a constant the JIT compiles in: until the first recorded conflict, reads and
     * writes do not even test {@code Ref.contended} (a program without conflicts pays nothing for
     * the sampling of access sites); at the first one, {@link #contended} switches it, and the
     * code using it is recompiled. (A {@code SwitchPoint} did it while only the log recorded,
     * once and for all; a Flight Recording can stop, and then it switches back, see
     * {@link #refresh}.)
     */
    private static final MutableCallSite SAMPLING = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private static final MethodHandle ANY_REF_CONTENDED = SAMPLING.dynamicInvoker();
    /** A conflict has been recorded (by the log, or for JFR): some Ref is contended. */
    private static volatile boolean anyContended;
    /** The constant {@link #SAMPLING} returns now. */
    private static volatile boolean sampling;

    /** The ids that contentions and access sites give Refs in the log, dense from 1. */
    private static final AtomicInteger REF_IDS = new AtomicInteger();

    /** Where the current (or last) inevitable transaction became so. */
    private static volatile int inevitableSite;

    /** The thread's log, and the log's pools; both null when only JFR records. */
    private final Recorder.ThreadLog log;
    private final LogWriter pools;
    private final int depth;
    /** The stack budget's clock: the coarse clock runs only while the log records. */
    private final boolean coarse;

    /**
     * Where this thread recently read and wrote each contended Ref. Weak keys: an identity map
     * kept every Ref (and its value) the thread had recorded a site of, after the program had
     * dropped it (6,038 Refs after 4,000 rounds). {@code Ref} does not override
     * {@code equals}/{@code hashCode}, so the keys still compare by identity. Only the thread's
     * sampled and completing accesses and its contentions look it up, never a plain read or write.
     */
    private final Map<Ref<?>, Sites> sites = new WeakHashMap<>();
    /** The victim's stack, captured at its access to the conflict's Ref during the user's code. */
    private int victimAtAccess;
    /**
     * The Ref of the thread's last conflict whose victim access was not known (it was met at
     * commit): the re-run's first access of {@link #pendingAccess} to it is recorded as an
     * access site, which completes that conflict in the log. Null when none is pending. Until
     * then the thread takes no sampled walk: the analyzer measures how far into the re-run that
     * access comes, which a walk of microseconds (unrecorded when the site has not changed)
     * would push back (sampling misses the accesses of a re-run before it).
     */
    private Ref<?> pendingRef;
    private AccessKind pendingAccess;
    /**
     * The Ref whose victim access a re-run of transaction {@code completedSerial} recorded;
     * cleared when the transaction ends ({@link #transactionEnded}), not to keep it reachable.
     */
    private Ref<?> completedRef;
    private long completedSerial;
    /** The Ref and kind of the attempt's last contention (cleared when the attempt ends). */
    private Ref<?> attemptContended;
    private ConflictKind attemptContendedKind;
    /** Where this thread last called {@code Stm.inevitable()} and became so. */
    private int inevitableCall;
    /** CPU time this thread has spent walking stacks ({@link #walkClock}), and since when it records. */
    private long captureNanos;
    private final long since;
        /** Accesses to contended Refs to let pass before the next recorded one. */
    private int accessesToSkip;
    private int random = System.identityHashCode(this) | 1;

    // What the last contention recorded named, for the JFR event of the conflict that follows.
    private int lastVictim;
    private int lastOther;
    private boolean lastAtEntry;
    /** The other side's commit that the last contention learnt of ({@link #otherCommit}), or 0. */
    private long lastCommit;
    /** The JFR event of the thread's last conflict, waiting for the re-run to name its victim's access. */
    private ConflictEvent jfrPending;
    /** The JFR event of a wait for an inevitable transaction, until the wait ends. */
    private ConflictEvent jfrWait;
    private long jfrWaitStart;
    /** The Ref whose access the pending event waits for; null when it only waits for its lost time. */
    private Ref<?> jfrPendingRef;
    private Txn jfrPendingTx;
    private boolean jfrPendingWrite;

    /** A thread's sampled access sites of one contended Ref: stack pool ids, 0 for none yet. */
    private static final class Sites {
        int read;
        int write;
    }

    ConflictSites(Recorder.ThreadLog log, LogWriter pools, int depth) {
        this.log = log;
        this.pools = pools;
        this.depth = depth;
        this.coarse = log != null;
        this.since = System.nanoTime();
    }

    // ---------------------------------------------------------------- contended Refs

    /** Whether {@code ref} is contended: its read and write sites are then sampled. */
    static boolean isContended(Ref<?> ref) {
        return anyRefContended() && ref.contended;
    }

    /** Whether any Ref has been contended yet: a constant until the first recorded conflict. */
    static boolean anyRefContended() {
        try {
            return (boolean) ANY_REF_CONTENDED.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e); // a constant cannot fail
        }
    }

    private static void contended(Ref<?> ref) {
        if (ref.contended) return;
        ref.contended = true;
        if (!sampling) {
            anyContended = true;
            refresh();
        }
    }

    /**
     * Sets {@link #anyRefContended}: on when a Ref is contended and the log or a Flight Recording
     * records; off again when only JFR recorded and its recording stopped.
     */
    static synchronized void refresh() {
        boolean on = anyContended && (Recorder.ENABLED || Jfr.isRunning());
        if (on == sampling) return;
        sampling = on;
        SAMPLING.setTarget(MethodHandles.constant(boolean.class, on));
        MutableCallSite.syncAll(new MutableCallSite[] {SAMPLING});
    }

    // ---------------------------------------------------------------- accesses

    /**
     * {@code tx} reads {@code ref}, a contended Ref: remember (a sample of) where; and record the
     * access at once when it completes this thread's last conflict (its re-run's first read).
     */
    void read(Txn tx, Ref<?> ref) {
        boolean completes = pendingRef == ref && pendingAccess == AccessKind.READ;
        if (!completes) {
            if (log != null && pendingRef != null) return; // see pendingRef: no sampled walk before it
            if (--accessesToSkip >= 0) return;
            skipSomeAccesses();
            if (!mayCapture(SAMPLE_BUDGET_PERCENT)) return;
        }
        // a completing access is recorded at its own time, not after its walk: the analyzer
        // measures how far into the re-run it came (see the format's ACCESS_SITE)
        long at = completes && log != null ? System.nanoTime() : 0;
        int site = capture(ALWAYS); // a completing walk was budgeted at the conflict
        if (site == 0) return;
        Sites s = sites.computeIfAbsent(ref, k -> new Sites());
        if (completes || s.read != site) accessSite(ref, AccessKind.READ, site, at);
        s.read = site;
        if (completes) completed(tx, ref, site);
    }

    /**
     * {@code tx} wrote {@code ref}, a contended Ref: remember (a sample of) where, for the other
     * side of later conflicts; recorded at once when it completes this thread's last conflict,
     * or when a conflict on {@code ref} with this thread as the other side still lacks it.
     */
    void write(Txn tx, Ref<?> ref) {
        boolean completes = pendingRef == ref && pendingAccess == AccessKind.WRITE;
        boolean wanted = ref.writerWanted == (int) tx.threadId;
        // this thread is the other side of the Ref's conflicts: time its attempts from their
        // start (by the log's timing, else by JFR's), so that its commits of the Ref can say how
        // long they ran (commitOf(Txn))
        if (log != null) log.timeAttempts();
        else Jfr.timeAttempts(tx);
        if (!completes && !wanted) {
            if (log != null && pendingRef != null) return; // see pendingRef: no sampled walk before it
            if (--accessesToSkip >= 0) return;
            skipSomeAccesses();
            if (!mayCapture(SAMPLE_BUDGET_PERCENT)) return;
        }
        long at = completes && log != null ? System.nanoTime() : 0;
        int site = capture(completes ? ALWAYS : wanted ? BUDGET_PERCENT : SAMPLE_BUDGET_PERCENT);
        if (site == 0) return;
        Sites s = sites.computeIfAbsent(ref, k -> new Sites());
        if (completes || wanted || s.write != site) accessSite(ref, AccessKind.WRITE, site, at);
        s.write = site;
        ref.writeSite = (long) site << 32 | (tx.threadId & 0xFFFF_FFFFL); // for the other side's reports
        if (Jfr.on()) Jfr.wroteAt(refId(ref), tx.threadId, site);
        if (wanted) ref.writerWanted = 0;
        if (completes) completed(tx, ref, site);
    }

    /**
     * A conflict was detected at the victim's access to the conflict's Ref, while the user's
     * code runs (a read): its stack shows the access, so capture it now; the abort is recorded
     * after the code has unwound.
     */
    void conflictAtAccess() {
        victimAtAccess = capture(BUDGET_PERCENT);
    }

    // ---------------------------------------------------------------- contentions

    /**
     * The attempt lost a conflict ({@code kind} on {@code ref}, when known) and aborts: records
     * its contention, unless a lock wait of this attempt already did (the lock stayed held).
     */
    void lost(Txn tx, ConflictKind kind, Ref<?> ref, long otherThreadId) {
        commitJfrPending(); // the re-run that would have completed it has ended
        pendingRef = null; // the re-run that would have completed it has ended
        if (ref == null || ref != attemptContended || kind != attemptContendedKind) {
            contention(tx, kind, ref, otherThreadId, true);
        }
        if (Jfr.on()) jfrConflict(tx, kind, ref, otherThreadId);
    }

    /**
     * The JFR event of the conflict just lost, with the sides its contention named (this one's,
     * or that of the lock wait that preceded it); kept for the re-run when its victim's access is
     * pending, as in the log.
     */
    private void jfrConflict(Txn tx, ConflictKind kind, Ref<?> ref, long otherThreadId) {
        ConflictEvent e = Jfr.newConflict();
        if (e == null) return;
        e.kind = kind.name();
        e.attempt = tx.attempt;
        e.lostTime = Jfr.attemptTime(tx, System.nanoTime()); // -1: the re-run's, when it ends
        e.otherThreadId = otherThreadId;
        int other = lastOther;
        if (other == 0 && ref != null && otherThreadId > 0) other = Jfr.writeSite(refId(ref), otherThreadId);
        e.otherFrames = SiteStacks.text(SiteStacks.frames(other));
        e.victimAtEntry = lastAtEntry;
        e.otherChange = ValueChange.ofCode(commitChange(lastCommit)).name();
        long nanos = commitNanos(lastCommit);
        e.otherAttemptTime = nanos == Contention.UNKNOWN_NANOS ? 0 : nanos;
        if (ref != null) {
            e.refLabel = ref.label();
            e.refId = refId(ref);
        }
        boolean victimPending = lastVictim == 0 && ref != null && pendingRef == ref;
        if (!victimPending) e.victimFrames = SiteStacks.text(SiteStacks.frames(lastVictim));
        if (victimPending || e.lostTime < 0) {
            jfrPending = e;
            jfrPendingRef = victimPending ? ref : null;
            jfrPendingWrite = pendingAccess == AccessKind.WRITE;
            jfrPendingTx = tx;
            return;
        }
        e.commit();
    }

    /**
     * Commits the pending JFR event without its victim's access: the re-run ended without it.
     * Its sampled site of the Ref then names it, as the analyzer would take it, if there is one.
     */
    private void commitJfrPending() {
        ConflictEvent e = jfrPending;
        if (e == null) return;
        if (jfrPendingRef != null) {
            Sites s = sites.get(jfrPendingRef);
            if (s != null) e.victimFrames = SiteStacks.text(SiteStacks.frames(jfrPendingWrite ? s.write : s.read));
        }
        if (e.lostTime < 0) { // the aborted attempt was not timed: its re-run, ending now, was
            e.lostTime = Math.max(0, Jfr.attemptTime(jfrPendingTx, System.nanoTime()));
            e.lostTimeEstimated = true;
        }
        jfrPending = null;
        jfrPendingRef = null;
        jfrPendingTx = null;
        e.commit();
    }

    /** The attempt waits for an inevitable transaction: a contention, named by the call that met it. */
    void waitsForInevitable(Txn tx, long otherThreadId) {
        contention(tx, ConflictKind.INEVITABLE, null, otherThreadId, true);
        if (Jfr.on()) {
            inevitableWaitEnded(); // not ended (a recording that started during it): committed as is
            ConflictEvent e = Jfr.newWait();
            if (e == null) return;
            e.kind = ConflictKind.INEVITABLE.name();
            e.waited = true;
            e.attempt = tx.attempt;
            e.otherThreadId = otherThreadId;
            e.victimFrames = SiteStacks.text(SiteStacks.frames(lastVictim));
            e.victimAtEntry = lastAtEntry;
            e.otherFrames = SiteStacks.text(SiteStacks.frames(lastOther));
            e.otherChange = ValueChange.NOT_KNOWN.name();
            jfrWait = e;
            jfrWaitStart = System.nanoTime();
        }
    }

    /** The wait for an inevitable transaction is over: its JFR event lasts as long. */
    void inevitableWaitEnded() {
        ConflictEvent e = jfrWait;
        if (e == null) return;
        jfrWait = null;
        e.end();
        e.lostTime = System.nanoTime() - jfrWaitStart;
        e.commit();
    }

    /**
     * The attempt waits for the write lock of {@code ref}: a contention on it, without a stack.
     * Lock waits are frequent and short (2 µs on average in the bank sample with hot accounts):
     * a walk of microseconds inside such short transactions made them abort (70 times as many
     * aborts). The analyzer takes their sides from the other conflicts on the Ref.
     */
    void waitsForLock(Txn tx, ConflictKind kind, Ref<?> ref, long otherThreadId) {
        contention(tx, kind, ref, otherThreadId, false);
    }

    /**
     * The attempt ended: what it learnt must not name the next one, except a conflict it lost
     * ({@code afterConflict}), which the re-run that follows completes.
     */
    void attemptEnded(boolean afterConflict) {
        if (!afterConflict) {
            pendingRef = null;
            commitJfrPending();
        }
        victimAtAccess = 0;
        attemptContended = null;
    }

    /** The transaction ended (committed, or left by an exception or a set-aside retry). */
    void transactionEnded() {
        commitJfrPending();
        pendingRef = null;
        completedRef = null;
    }

    /**
     * Records a contention. The victim's stack is its access to the Ref: the stack taken when
     * the conflict was met at that access ({@link #conflictAtAccess}); else, when the conflict
     * was met elsewhere (at commit, after the user's code has returned), none yet: the re-run's
     * first access of the kind to the Ref records it, which completes this contention in the
     * log; over the stack budget, the thread's sampled site of the Ref, or none (the analyzer then
     * counts the conflict with the others on the same Ref: a guess from another Ref would name a
     * wrong line). A wait for an inevitable transaction, which has no Ref, names the call that met
     * it: {@code Stm.inevitable()}, or else where the transaction was entered (flagged, so that
     * the analyzer prefers an access site when one is known). The other side is where the other
     * wrote the Ref, when a write site of its thread is known, else that thread's next write of
     * the Ref (it is asked for), or where the inevitable transaction became so.
     */
    private void contention(Txn tx, ConflictKind kind, Ref<?> ref, long otherThreadId, boolean walk) {
        int victim = victimAtAccess;
        victimAtAccess = 0;
        boolean atEntry = false;
        int read = 0;
        int label = 0;
        long id = 0;
        int other = kind == ConflictKind.INEVITABLE ? inevitableSite : 0;
        Sites s = ref == null ? null : sites.get(ref);
        if (ref != null) {
            contended(ref);
            id = refId(ref);
            String name = ref.label();
            if (name != null && pools != null) label = pools.string(name);
            if (kind != ConflictKind.INEVITABLE) {
                other = otherWriteSite(ref, tx.threadId, otherThreadId);
                if (other == 0 && otherThreadId > 0) ref.writerWanted = (int) otherThreadId;
            }
            if (s != null && kind != ConflictKind.WRITE_WRITE) read = s.read;
        }
        if (victim == 0 && walk) {
            if (ref != null) {
                victim = completedVictim(tx, ref, kind);
                if (victim == 0 && mayCapture(BUDGET_PERCENT)) {
                    pendingRef = ref; // the re-run's access completes it: victim 0 until then
                    pendingAccess = kind == ConflictKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ;
                } else if (victim == 0 && s != null) {
                    victim = kind == ConflictKind.WRITE_WRITE ? s.write : s.read;
                }
            } else if (mayCapture(BUDGET_PERCENT)) {
                long start = walkClock();
                List<Frame> now = StackCapture.capture(depth);
                victim = now.isEmpty() ? writeSetSite(tx) : SiteStacks.id(pools, now);
                atEntry = !tx.callingInevitable;
                captureNanos += walkClock() - start;
            }
        }
        long commit = kind == ConflictKind.INEVITABLE ? 0 : otherCommit(ref, otherThreadId);
        if (log != null) {
            log.writer.contention(System.nanoTime(), contentionKind(kind),
                    otherThreadId == 0 ? Contention.UNKNOWN_THREAD : otherThreadId, victim, other, read, label, id, atEntry,
                    ValueChange.ofCode(commitChange(commit)), commitNanos(commit));
        }
        lastVictim = victim;
        lastOther = other;
        lastAtEntry = atEntry;
        lastCommit = commit;
        attemptContended = ref;
        attemptContendedKind = kind;
    }

    // ---------------------------------------------------------------- the other side's commits
    //
    // A commit that writes a contended Ref leaves in it (Ref.lastWrite, beside its thread id) what
    // a victim of that write records in its CONTENTION: whether the value changed, and how long the
    // committing attempt ran. Stored before the Ref is unlocked, so a victim that sees the new
    // version sees it too. High 32 bits of Ref.lastWrite: the change's code (2 bits), then the
    // attempt's time in units of 16 ns, + 1 (30 bits, 0: unknown; saturated at 17 s).

    private static final long THREAD_MASK = 0xFFFF_FFFFL;
    private static final int CHANGE_SHIFT = 32;
    private static final int TIME_SHIFT = 34;
    private static final int TIME_UNIT_BITS = 4; // 16 ns
    private static final long MAX_TIME = (1L << (64 - TIME_SHIFT)) - 1;
    /** Strings longer than this are compared by identity only (equals costs ~1 ns per 16 chars). */
    static final int MAX_COMPARED_CHARS = 1024;

    /**
     * At the commit of {@code tx}, which writes a contended Ref: its thread and its attempt's time
     * so far, as the Refs keep them ({@link #commitOf(long, long)}); the time unknown when the
     * attempt was not timed from its start (by the log's timing, else by JFR's).
     */
    static long commitOf(Txn tx) {
        long now = System.nanoTime();
        long nanos;
        if (tx.rec != null) {
            long start = tx.rec.timedStart();
            nanos = start < 0 ? -1 : Math.max(0, now - start);
        } else {
            nanos = Jfr.attemptTime(tx, now);
        }
        return commitOf(tx.threadId, nanos);
    }

    /**
     * What the commit of thread {@code threadId} whose attempt ran {@code nanos} ns (-1: unknown)
     * leaves in the contended Refs it writes, but the change: see {@link #change}.
     */
    static long commitOf(long threadId, long nanos) {
        long t = nanos < 0 ? 0 : Math.min(MAX_TIME, (nanos >>> TIME_UNIT_BITS) + 1);
        return t << TIME_SHIFT | (threadId & THREAD_MASK);
    }

    /**
     * The {@link ValueChange} code of a write of {@code now} over {@code old}, as bits for
     * {@link #commitOf}'s value: unchanged when it is the same object. Else only {@code equals}
     * of boxed primitives and strings is called (final JDK classes whose {@code equals} is cheap
     * and has no effect; strings up to {@value #MAX_COMPARED_CHARS} chars); an enum equals only
     * itself. Any other class's {@code equals} is user code, which may be costly, have effects or
     * take locks, and it would run under the Ref's commit lock: such values are not compared,
     * unless one side is null, an enum or of those classes, whose {@code equals} then says they
     * differ (and, {@code equals} being symmetric, so would the other's).
     */
    static long change(Object old, Object now) {
        int code;
        if (old == now) {
            code = UNCHANGED;
        } else if (old == null || now == null) {
            code = CHANGED;
        } else if (old.getClass() != now.getClass()) {
            code = valueClass(old) || valueClass(now) || old instanceof Enum<?> || now instanceof Enum<?> ? CHANGED : NOT_COMPARED;
        } else if (old instanceof Enum<?>) {
            code = CHANGED;
        } else if (old instanceof String a) {
            String b = (String) now;
            code = a.length() != b.length() ? CHANGED : a.length() > MAX_COMPARED_CHARS ? NOT_COMPARED
                    : a.equals(b) ? UNCHANGED : CHANGED;
        } else if (valueClass(old)) {
            code = old.equals(now) ? UNCHANGED : CHANGED;
        } else {
            code = NOT_COMPARED;
        }
        return (long) code << CHANGE_SHIFT;
    }

    /** {@link #change(Object, Object)} of a {@link TLong}'s values, unboxed (as boxed: by equals). */
    static long change(long old, long now) {
        return (long) (old == now ? UNCHANGED : CHANGED) << CHANGE_SHIFT;
    }

    private static final int NOT_COMPARED = ValueChange.NOT_COMPARED.code();
    private static final int CHANGED = ValueChange.CHANGED.code();
    private static final int UNCHANGED = ValueChange.UNCHANGED.code();

    /** Whether {@code v} is a string or a boxed primitive: its {@code equals} is the recorder's to call. */
    private static boolean valueClass(Object v) {
        Class<?> c = v.getClass();
        return c == String.class || c == Integer.class || c == Long.class || c == Boolean.class || c == Character.class
                || c == Short.class || c == Byte.class || c == Double.class || c == Float.class;
    }

    /**
     * The last commit of {@code ref} when it is the other side's: {@code otherThreadId}'s, with
     * what it did (the Ref was contended then), and complete (the Ref is not locked: a committer
     * holding it has not stored its own yet); else 0.
     */
    private static long otherCommit(Ref<?> ref, long otherThreadId) {
        if (ref == null || otherThreadId <= 0) return 0;
        long w = ref.lastWrite;
        if (w >>> CHANGE_SHIFT == 0 || (w & THREAD_MASK) != (otherThreadId & THREAD_MASK) || (ref.word() & Ref.LOCKED) != 0) {
            return 0;
        }
        return w;
    }

    /** The change's code in a commit from {@link #otherCommit}: 0 (not known) for none. */
    static int commitChange(long commit) {
        return (int) (commit >>> CHANGE_SHIFT & 3);
    }

    /** The attempt's time in a commit from {@link #otherCommit}, or {@link Contention#UNKNOWN_NANOS}. */
    static long commitNanos(long commit) {
        long t = commit >>> TIME_SHIFT;
        return t == 0 ? Contention.UNKNOWN_NANOS : (t - 1) << TIME_UNIT_BITS;
    }

    // ---------------------------------------------------------------- inevitable transactions

    /** Where the current (or last) inevitable transaction became so: a stack id, 0 for none. */
    static int inevitableSite() {
        return inevitableSite;
    }

    /** The stack where the thread became inevitable at its {@code Stm.inevitable()} call, now. */
    int becameInevitable() {
        int site = capture(ALWAYS); // rare, and what every INEVITABLE contention names
        inevitableCall = site;
        inevitableSite = site;
        return site;
    }

    /**
     * The stack to name for an attempt that starts inevitable: the last attempt's
     * {@code Stm.inevitable()} call when it kept the token from it ({@code again}), else where
     * the transaction was entered (made inevitable by contention management).
     */
    int startedInevitable(boolean again) {
        int site = again && inevitableCall != 0 ? inevitableCall : capture(ALWAYS);
        inevitableSite = site;
        return site;
    }

    // ---------------------------------------------------------------- internals

    /**
     * Whether another stack walk fits a budget of {@code percent}% of the thread's time since
     * it started recording, plus {@value #CAPTURE_CREDIT_NANOS} ns to start with. Without it,
     * a workload whose conflicts touch many Refs would spend most of its time in stack walks.
     */
    private boolean mayCapture(int percent) {
        // a tick off at most: no nanoTime() here, except when only JFR records (no coarse clock)
        long elapsed = (coarse ? CoarseClock.now() : System.nanoTime()) - since;
        return captureNanos < CAPTURE_CREDIT_NANOS + elapsed / 100 * percent;
    }

    /** A stack walk, its cost charged to the budget; 0 (no stack) when over {@code percent}. */
    private int capture(int percent) {
        if (percent < 100 && !mayCapture(percent)) return 0;
        long start = walkClock();
        int id = SiteStacks.id(pools, StackCapture.capture(depth));
        captureNanos += walkClock() - start;
        return id;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /**
     * The clock stack walks are charged by: the thread's CPU time where the JVM has it. By the
     * wall clock a walk was charged for the time its thread sat descheduled: on a loaded machine
     * (a dozen recorded JVMs on 2 cores) a few walks used up a thread's budget and its conflicts
     * lost the stacks they would have had, so what a log named depended on the machine's load.
     * A CPU-time read costs about 0.55 us here, a walk of 16 frames 2.5 us and more. (The JVM
     * gives -1 for a virtual thread: then the wall clock, on both ends of the walk.)
     */
    private static long walkClock() {
        long cpu = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu >= 0 ? cpu : System.nanoTime();
    }

    /**
     * Skips a random number of accesses, {@value #SITE_SAMPLE} on average: a fixed stride
     * would see only one of a transaction's accesses when their count divides it (a read
     * then a write of the same Ref: only the reads).
     */
    private void skipSomeAccesses() {
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        accessesToSkip = (x & (2 * SITE_SAMPLE - 1)) - 1;
    }

    /**
     * Records, inside the running attempt, that this thread accessed {@code ref} at {@code site},
     * at time {@code at}, before the walk that found the site (0: now).
     */
    private void accessSite(Ref<?> ref, AccessKind access, int site, long at) {
        if (log == null) return; // only JFR records
        log.beforeRecord(true);
        log.writer.accessSite(at != 0 ? at : System.nanoTime(), refId(ref), access, site);
    }

    /** The re-run's access to {@code pendingRef} has been recorded: it completes the conflict. */
    private void completed(Txn tx, Ref<?> ref, int site) {
        pendingRef = null;
        completedRef = ref;
        completedSerial = tx.serial;
        ConflictEvent e = jfrPending;
        if (e != null && jfrPendingRef == ref) {
            e.victimFrames = SiteStacks.text(SiteStacks.frames(site));
            jfrPendingRef = null;
            if (e.lostTime >= 0) {
                jfrPending = null;
                jfrPendingTx = null;
                e.commit();
            } // else it waits for the re-run's end, its lost time
        }
    }

    /**
     * For a conflict on {@code ref} in a transaction whose re-run has already walked to its
     * access of the Ref: that access. Not another walk, since a walk of microseconds inside a
     * short transaction makes it likelier to lose again (the bank sample with hot accounts
     * aborted 70 times as often when each re-run walked). 0 when none.
     */
    private int completedVictim(Txn tx, Ref<?> ref, ConflictKind kind) {
        if (ref != completedRef || tx.serial != completedSerial) return 0;
        Sites s = sites.get(ref);
        return s == null ? 0 : kind == ConflictKind.WRITE_WRITE ? s.write : s.read;
    }

    /** The Ref's id in the log, given at its first conflict or access site. */
    private static long refId(Ref<?> ref) {
        int id = ref.logId;
        if (id == 0) {
            synchronized (REF_IDS) { // two first conflicts at once must not give it two ids
                id = ref.logId;
                if (id == 0) ref.logId = id = REF_IDS.incrementAndGet();
            }
        }
        return id;
    }

    /**
     * The stack has no user frame left (a commit in a {@link TransactionQueue} task, after the
     * task's code returned): what the transaction wanted to commit is its writes, so make their
     * Refs contended, to learn where they are written, and name the site of one already learnt.
     */
    private int writeSetSite(Txn tx) {
        int site = 0;
        WriteSet ws = tx.writes;
        for (int i = 0; i < ws.size; i++) {
            Ref<?> ref = ws.refs[i];
            contended(ref);
            Sites s = sites.get(ref);
            if (site == 0 && s != null) site = s.write;
        }
        return site;
    }

    /**
     * Where the other side wrote {@code ref}: its latest sampled write site, when the thread
     * that wrote there is the other side (when known), or at least not the victim; else 0.
     */
    private static int otherWriteSite(Ref<?> ref, long victimThreadId, long otherThreadId) {
        long packed = ref.writeSite;
        int writer = (int) packed;
        boolean fits = otherThreadId != 0 ? writer == (int) otherThreadId : writer != (int) victimThreadId;
        return fits ? (int) (packed >>> 32) : 0;
    }

    private static ContentionKind contentionKind(ConflictKind k) {
        return switch (k) {
            case WRITE_WRITE -> ContentionKind.WRITE_WRITE;
            case WRITE_READ -> ContentionKind.WRITE_READ;
            case INEVITABLE -> ContentionKind.INEVITABLE;
        };
    }
}
