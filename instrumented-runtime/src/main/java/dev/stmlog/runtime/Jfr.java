package dev.stmlog.runtime;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import java.util.concurrent.CountDownLatch;

/**
 * The STM's JFR events ({@link ConflictEvent dev.stmlog.Conflict}, {@link TransactionEvent
 * dev.stmlog.Transaction}, {@link InevitableEvent dev.stmlog.Inevitable}), emitted while a
 * Flight Recording runs, whether or not {@code STM_LOG} records too.
 *
 * <p>A recording can start and stop at any time ({@code -XX:StartFlightRecording}, {@code jcmd
 * JFR.start}, {@code jdk.jfr.Recording}), so unlike {@link Recorder#ENABLED} the gate cannot be
 * a {@code static final}. It is the next best thing: {@link #on()} returns the constant target of
 * a {@link MutableCallSite}, which the JIT compiles in like a {@code static final} and recompiles
 * the code using it when a {@link FlightRecorderListener} flips it at a recording's start or
 * stop. With no recording, the guarded calls vanish: a transaction pays nothing (measured with
 * {@code BankBenchmark}, see the module README), and nothing here but the listener is even
 * loaded (the listener is registered in the background, see the static initializer). A plain {@code static volatile boolean} would be one load per test; the tests sit at
 * each attempt's start and end and at the hints written per Ref at commit, never on a read or a
 * write (those only test {@link ConflictSites#isContended}, which is the same kind of constant,
 * off while neither STM_LOG nor JFR records).
 *
 * <p>While a recording runs, re-runs, and first attempts for a while after a conflict of their
 * thread, read {@code System.nanoTime()} at their start (the lost time of a conflict; see
 * {@link #attemptStarted}), and a transaction allocates its {@link TransactionEvent} when that
 * event is enabled (off by default: the threshold is only applied at its end, by
 * {@code shouldCommit()}, so every transaction pays for it). Conflicts take
 * their stacks through the same {@link ConflictSites} as the stmlog log, within its time budget.
 * The settings of a recording that is already running are read again only at the next start or
 * stop of a recording: {@code on()} means "a recording runs", and each event's own
 * {@code isEnabled()} is asked on the slow paths.
 */
final class Jfr {

    private static final MutableCallSite ON = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private static final MethodHandle IS_ON = ON.dynamicInvoker();
    private static volatile boolean running;

    /** Frames kept per stack: {@code STM_LOG_DEPTH}, as in the log. */
    static final int DEPTH = depth();

    /** Counted down once the listener is registered (or cannot be). */
    private static final CountDownLatch LISTENING = new CountDownLatch(1);

    static {
        // Registering the listener loads JFR's recorder classes: 12 ms, measured at a cold JVM's
        // first transaction. So it is done on a thread of its own (0.4 ms to start), unless JFR
        // is initialized already (-XX:StartFlightRecording, 0.1 ms to ask): then a recording
        // may be running, and the first transactions must see it. A recording started while the
        // thread registers is seen when it has: addListener reports an initialized recorder.
        boolean now = false;
        try {
            now = FlightRecorder.isInitialized();
        } catch (Throwable e) { // no jdk.jfr module (a trimmed runtime): never any event
            LISTENING.countDown();
        }
        if (LISTENING.getCount() > 0) {
            if (now) {
                new Registration().run();
            } else {
                Thread t = new Thread(new Registration(), "stmlog-jfr-listener");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private Jfr() {
    }

    /** Whether a Flight Recording runs: a constant the JIT compiles in, see the class comment. */
    static boolean on() {
        try {
            return (boolean) IS_ON.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e); // a constant cannot fail
        }
    }

    /** Registers the listener (a class, not a lambda: a JVM's first lambda links for 10 ms). */
    private static final class Registration implements Runnable {
        @Override
        public void run() {
            try {
                FlightRecorder.addListener(new Listener());
            } catch (Throwable e) { // not permitted (a security manager): no events
                running = false;
            } finally {
                LISTENING.countDown();
            }
        }
    }

    /** For tests: waits until the listener is registered, so that a recording started now is seen. */
    static void awaitListener() throws InterruptedException {
        LISTENING.await();
    }

    /** {@link #on()} as a volatile read, for code that must not depend on the compiled constant. */
    static boolean isRunning() {
        return running;
    }

    private static final class Listener implements FlightRecorderListener {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            refresh();
        }

        @Override
        public void recordingStateChanged(Recording recording) {
            refresh();
        }
    }

    private static synchronized void refresh() {
        boolean now = false;
        if (FlightRecorder.isInitialized()) {
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING) now = true;
            }
        }
        if (now == running) return;
        if (now) {
            // The JVM's first stack walk links the walker and its stream's lambdas: 455 ms in a
            // cold JVM on the loaded 2-core machine (then 50-170 us). Taken by a thread's first
            // conflict, it used up that thread's stack budget (100 ms to start with) on its own,
            // and the wanted write sites of the other side were never taken: the forced
            // conflicts' events all lacked the other side's line. Walked once here instead.
            StackCapture.capture(1);
        }
        running = now;
        ON.setTarget(MethodHandles.constant(boolean.class, now));
        MutableCallSite.syncAll(new MutableCallSite[] {ON});
        ConflictSites.refresh();
    }

    /** The event types, looked up (and registered) on first use, from a transaction's thread. */
    private static final class Types {
        static final EventType CONFLICT = EventType.getEventType(ConflictEvent.class);
        static final EventType TRANSACTION = EventType.getEventType(TransactionEvent.class);
        static final EventType INEVITABLE = EventType.getEventType(InevitableEvent.class);
    }

    /** A thread's JFR state, held by its {@link Txn} once a recording has run. */
    static final class PerThread {
        /** When the current attempt started; 0 when it was not timed (see {@link #attemptStarted}). */
        long attemptStart;
        /** First attempts still to be timed from their start, after this thread's last conflict. */
        int timedAttempts;
        int conflicts;
        TransactionEvent transaction;
        InevitableEvent inevitable;
        /** The thread's conflict sites when STM_LOG does not record (else its ThreadLog's). */
        ConflictSites sites;
    }

    private static PerThread state(Txn tx) {
        PerThread p = tx.jfr;
        if (p == null) tx.jfr = p = new PerThread();
        return p;
    }

    /** The conflict sites of {@code tx}'s thread when STM_LOG does not record. */
    static ConflictSites sites(Txn tx) {
        PerThread p = state(tx);
        if (p.sites == null) p.sites = new ConflictSites(null, null, DEPTH);
        return p.sites;
    }

    // ---------------------------------------------------------------- from Txn, when on()

    /**
     * First attempts timed from their start after each conflict of a thread, as the log's
     * default timing does ({@code Recorder.TIMED_AFTER_CONFLICT}).
     */
    private static final int TIMED_AFTER_CONFLICT = 1024;

    /**
     * An attempt starts; the transaction's event begins at its first. Re-runs are timed from
     * their start, and so are first attempts for a while after a conflict of the thread or when
     * the Transaction event is enabled; others are not: two {@code nanoTime()} calls per
     * transaction, at its start and end, made a recording cost 45% of the bank benchmark's
     * 50 ns transfer (10.5 against 19.1 ops/us), which is what {@code STM_LOG_TIMING=exact}
     * costs too. An untimed first attempt that aborts is charged its re-run's time instead, as
     * the analyzer charges one from the log ({@link ConflictEvent#lostTimeEstimated}).
     */
    static void attemptStarted(Txn tx) {
        PerThread p = state(tx);
        if (tx.attempt == 1) {
            p.conflicts = 0;
            p.transaction = null;
            if (Types.TRANSACTION.isEnabled()) {
                TransactionEvent e = new TransactionEvent();
                e.begin();
                p.transaction = e;
            }
            if (p.timedAttempts > 0) {
                p.timedAttempts--;
            } else if (p.transaction == null) {
                p.attemptStart = 0;
                return;
            }
        }
        p.attemptStart = System.nanoTime();
    }

    /**
     * The attempt lost a conflict: counted; and, when STM_LOG does not record (its
     * {@link Recorder#txAbort} did it), the conflict goes to the thread's sites, which emit the
     * event.
     */
    static void conflictLost(Txn tx, Recorder.ConflictKind kind, Ref<?> ref, long otherThreadId) {
        PerThread p = state(tx);
        p.conflicts++;
        p.timedAttempts = TIMED_AFTER_CONFLICT;
        endInevitable(p);
        if (!Recorder.ENABLED) {
            ConflictSites s = sites(tx);
            s.lost(tx, kind, ref, otherThreadId);
            s.attemptEnded(true);
        }
    }

    /**
     * The thread writes a contended Ref, as the other side of its conflicts: its next attempts
     * are timed from their start, as after a conflict of its own, so that their commits of the
     * Ref can say how long they ran (as the log's {@code ThreadLog.timeAttempts}).
     */
    static void timeAttempts(Txn tx) {
        state(tx).timedAttempts = TIMED_AFTER_CONFLICT;
    }

    /** The attempt ended in a {@code Stm.retry()} wait: the next one is a re-run. */
    static void retried(Txn tx) {
        PerThread p = state(tx);
        endInevitable(p);
        if (!Recorder.ENABLED && p.sites != null) p.sites.attemptEnded(false);
    }

    /** The transaction ended: {@code outcome} is "committed", "rolled back" or "set aside". */
    static void transactionEnded(Txn tx, String outcome) {
        PerThread p = state(tx);
        endInevitable(p);
        if (!Recorder.ENABLED && p.sites != null) {
            p.sites.attemptEnded(false);
            p.sites.transactionEnded();
        }
        TransactionEvent e = p.transaction;
        if (e != null) {
            p.transaction = null;
            e.end();
            long now = System.nanoTime();
            if (e.shouldCommit()) {
                e.attempts = tx.attempt;
                e.conflicts = p.conflicts;
                e.inevitable = tx.inevitable;
                e.outcome = outcome;
                e.lastAttempt = p.attemptStart == 0 ? 0 : now - p.attemptStart;
                e.commit();
            }
        }
        p.attemptStart = 0;
    }

    /**
     * The transaction became inevitable at the user's {@code Stm.inevitable()}: the site that
     * the INEVITABLE conflicts with it name (taken by the log's {@link Recorder#becameInevitable}
     * when STM_LOG records), and its event, which lasts until the transaction ends.
     */
    static void becameInevitable(Txn tx) {
        int site = Recorder.ENABLED ? ConflictSites.inevitableSite() : sites(tx).becameInevitable();
        inevitable(tx, site, false);
    }

    /**
     * The attempt starts inevitable: it kept the token from the last attempt's
     * {@code Stm.inevitable()} ({@code again}), or contention management made it so (escalated).
     */
    static void startedInevitable(Txn tx, boolean again) {
        int site = Recorder.ENABLED ? ConflictSites.inevitableSite() : sites(tx).startedInevitable(again);
        inevitable(tx, site, !again);
    }

    private static void inevitable(Txn tx, int site, boolean escalated) {
        if (!Types.INEVITABLE.isEnabled()) return;
        PerThread p = state(tx);
        endInevitable(p);
        InevitableEvent e = new InevitableEvent();
        e.begin();
        e.escalated = escalated;
        e.site = SiteStacks.text(SiteStacks.frames(site));
        p.inevitable = e;
    }

    private static void endInevitable(PerThread p) {
        InevitableEvent e = p.inevitable;
        if (e != null) {
            p.inevitable = null;
            e.commit();
        }
    }

    // ---------------------------------------------------------------- from ConflictSites

    /** A new Conflict event, begun now; null when the event is not enabled. */
    static ConflictEvent newConflict() {
        if (!Types.CONFLICT.isEnabled()) return null;
        ConflictEvent e = new ConflictEvent();
        e.begin();
        e.end(); // the event is the abort, an instant: committing it later must not stretch it
        return e;
    }

    /**
     * Each thread's latest recorded write site of each contended Ref, by Ref id and thread id,
     * while a recording runs. The log keeps only a Ref's latest write site, whoever wrote, and
     * names a conflict's missing other side later, by the other thread's next write of the Ref
     * (an ACCESS_SITE record, joined by the analyzer); a JFR event is committed once. With forced
     * conflicts between two threads that take turns, the latest write site was always the
     * victim's own (its asked-for write, just before its conflict), and the other side's line
     * was named only when a sampled write happened to show it; with this table it is named from
     * the third conflict on. Bounded: cleared when it grows past {@value #MAX_WRITE_SITES}.
     */
    private static final java.util.Map<Long, Integer> WRITE_SITES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_WRITE_SITES = 1 << 14;

    /** Thread {@code threadId} wrote the Ref {@code refId} at stack {@code site}. */
    static void wroteAt(long refId, long threadId, int site) {
        if (WRITE_SITES.size() >= MAX_WRITE_SITES) WRITE_SITES.clear();
        WRITE_SITES.put(refId << 32 | (threadId & 0xFFFF_FFFFL), site);
    }

    /** Where thread {@code threadId} last wrote the Ref {@code refId}, as far as known; 0 if not. */
    static int writeSite(long refId, long threadId) {
        Integer site = WRITE_SITES.get(refId << 32 | (threadId & 0xFFFF_FFFFL));
        return site == null ? 0 : site;
    }

    /** A new Conflict event for a wait, begun now (it lasts as long); null when not enabled. */
    static ConflictEvent newWait() {
        if (!Types.CONFLICT.isEnabled()) return null;
        ConflictEvent e = new ConflictEvent();
        e.begin();
        return e;
    }

    /** How long {@code tx}'s attempt has run; -1 when it was not timed. */
    static long attemptTime(Txn tx, long now) {
        PerThread p = tx.jfr;
        return p == null || p.attemptStart == 0 ? -1 : Math.max(0, now - p.attemptStart);
    }

    private static int depth() {
        String v = System.getenv("STM_LOG_DEPTH");
        if (v == null || v.isBlank()) return 8;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 8;
        }
    }
}
