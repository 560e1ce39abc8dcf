package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.WaitKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One thread's recorder: the seam every STM's advice records through. It keeps the thread's
 * attempt (started, written or not), its counted commits, its stack budget and what its last
 * conflict still lacks, and writes the records in the thread's order.
 *
 * <p>Timing, as the runtime's default: an attempt in which nothing else is recorded costs no clock
 * read. It is counted, and timed by sampling: every {@value Ticker#TICK_NANOS} ns the
 * {@link Ticker} adds the time since its last tick to each thread it finds in such an attempt;
 * the counts and that time go out as one COMMITS record per thread every {@value #BATCH_TICKS}
 * ticks at most (exact on average, not per transaction). A clock read at each start and end
 * measured 45 ns each on this machine, 13% of a 700 ns Clojure transaction. An attempt in which
 * something is recorded (a contention, a wait, an access site, an abort) gets its TX_START
 * written first, at its exact start (the STM's own reading of it when it has one, see
 * {@link #startTimes}), and its end read from the clock: such attempts are timed exactly.
 *
 * <p>Both sides of a conflict, as the runtime records them (its README's "Both sides of every
 * conflict"): the victim's access when the conflict is met at it, else the re-run's first access
 * of that kind to the object, written as an ACCESS_SITE that completes the contention; the other
 * side is the object's latest sampled write by another thread, else the next write of it, which
 * is asked for ({@link RefInfo#writerWanted}). Accesses to contended objects are sampled (one in
 * {@value #SITE_SAMPLE} on average), and stack walks are held to a share of the thread's time.
 */
public final class ThreadRecord {
    /** At most one COMMITS record per thread per this many ticks of the {@link Ticker} (10 ms, the runtime's tick). */
    static final long BATCH_TICKS = 1;
    /** One in this many of a thread's accesses to contended objects records its site. */
    private static final int SITE_SAMPLE = 8;
    /** The victims' stacks may take this share of the thread's time, the sampled sites half as much (the runtime's budget). */
    public static final int BUDGET_PERCENT = 2;
    public static final int SAMPLE_BUDGET_PERCENT = 1;
    public static final int ALWAYS = 100;
    private static final long CAPTURE_CREDIT_NANOS = 100_000_000;

    /** {@link #attempt}'s bits: in an attempt, its TX_START written; the rest counts attempts. */
    private static final int IN_ATTEMPT = 1;
    private static final int WRITTEN = 2;
    private static final int FLAGS = IN_ATTEMPT | WRITTEN;
    private static final int SERIAL_STEP = 4;
    private static final VarHandle ATTEMPT;

    static {
        try {
            ATTEMPT = MethodHandles.lookup().findVarHandle(ThreadRecord.class, "attempt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The STM recorders' slots: {@link Stms#ALL} has two. */
    private static final int MAX_STMS = 4;
    private static final AtomicInteger STM_SLOTS = new AtomicInteger();

    private final LogWriter log;
    final ThreadWriter writer;
    final long threadId;
    final Thread thread;
    /**
     * Each STM recorder's own state for this thread, in the slot it took ({@link #newStmSlot}),
     * found with the record: no look-up of its own (ScalaSTM's was a ThreadLocal per attempt
     * start and end). A slot each, so that a thread using two STMs keeps both states.
     */
    private final Object[] stmStates = new Object[MAX_STMS];

    // The owner's, read by the ticker with an opaque load. One word (in an attempt, written, the
    // attempt's serial number): an attempt's start is one load and one store, and the ticker
    // reads the three consistently. The owner reads and writes it plainly (an int is never torn):
    // its opaque stores through the VarHandle inlined some 180 bytes of bytecode each (the
    // handle's guards) into LockingTransaction.run's C2 compilation, which ran out of its inlining
    // budget (DesiredMethodLimit) for the commit path. Between an attempt's start and end the
    // STM's own atomics (CAS, fences) keep the JIT from merging the two stores.
    private int attempt;

    /** When the attempt started; 0: not read yet ({@link #startTimes} or the clock gives it when needed). */
    private long attemptStart;
    private LongSupplier startTimes;

    private long batchCount;
    private long batchTick;
    private long sampledWritten;
    private long sampledUncounted;

    // The ticker's (one writer): the time it saw this thread in quiet attempts, in all and in the
    // attempt it saw last.
    private volatile long sampledBusy;
    private volatile int serialSeen;
    private volatile long sampledInAttempt;

    private long captureNanos;
    private final long since;
    private int accessesToSkip;
    private int random;

    /** The object whose re-run access completes the thread's last contention, and which access. */
    private RefInfo pendingRef;
    private AccessKind pendingAccess;
    /** The thread's last recorded sites of contended objects: [read, write] stack ids. */
    private final Map<RefInfo, int[]> sites = new WeakHashMap<>();

    ThreadRecord(LogWriter log, ThreadWriter writer, Thread thread) {
        this.log = log;
        this.writer = writer;
        this.thread = thread;
        this.threadId = thread.getId();
        this.since = System.nanoTime();
        this.random = System.identityHashCode(this) | 1;
    }

    public long threadId() {
        return threadId;
    }

    /** A slot for an STM recorder's state, taken once by each (in its static initializer). */
    public static int newStmSlot() {
        int slot = STM_SLOTS.getAndIncrement();
        if (slot >= MAX_STMS) throw new IllegalStateException("more than " + MAX_STMS + " STM recorders");
        return slot;
    }

    /** The state of the STM recorder of {@code slot} for this thread, null until it {@linkplain #stmState(int, Object) sets} one. */
    public Object stmState(int slot) {
        return stmStates[slot];
    }

    public void stmState(int slot, Object state) {
        stmStates[slot] = state;
    }

    /**
     * Where an attempt's start time comes from when it was started with 0 and a record needs it:
     * the STM's own reading of the clock (Clojure's {@code startTime}), so that a first attempt
     * costs no clock read of the agent's.
     */
    public void startTimes(LongSupplier source) {
        this.startTimes = source;
    }

    // ---------------------------------------------------------------- attempts

    /** An attempt starts (each retry is a new attempt) at {@code start}, or 0: not read (see {@link #startTimes}). */
    public void attemptStarted(long start) {
        int a = attempt;
        if ((a & FLAGS) == FLAGS) endMissed(start);
        attemptStart = start;
        attempt = ((a & ~FLAGS) + SERIAL_STEP) | IN_ATTEMPT;
    }

    /** An end the advice missed: the written attempt is aborted when the next starts. */
    private void endMissed(long start) {
        writer.txAbort(now(start), AbortCause.CONFLICT);
    }

    /** The owner's read: plain, its own field. */
    private int attempt() {
        return attempt;
    }

    public boolean inAttempt() {
        return (attempt() & IN_ATTEMPT) != 0;
    }

    private boolean written() {
        return (attempt() & WRITTEN) != 0;
    }

    private void attemptOver() {
        attempt &= ~IN_ATTEMPT;
    }

    private static int serial(int attempt) {
        return attempt & ~FLAGS;
    }

    /**
     * The current attempt committed. One with nothing recorded is only counted (no clock read):
     * its time is the ticker's samples, and the counts go out about every {@value #BATCH_TICKS}
     * ticks as one COMMITS record.
     */
    public void committed() {
        int a = attempt;
        if ((a & FLAGS) != IN_ATTEMPT) {
            committedWritten(a);
            return;
        }
        attempt = a & ~IN_ATTEMPT;
        batchCount++;
        if (Ticker.tick() - batchTick >= BATCH_TICKS) batchDue();
    }

    /** Out of line (see {@link #committed()}): a written attempt's commit, or none (not in an attempt). */
    private void committedWritten(int a) {
        if ((a & IN_ATTEMPT) == 0) return;
        writer.txCommit(System.nanoTime());
        attemptOver();
    }

    private void batchDue() {
        batchTick = Ticker.tick();
        writeBatch(System.nanoTime());
    }

    /** As {@link #committed()}; {@code now} is used for a written attempt's end. */
    public void committed(long now) {
        if ((attempt() & FLAGS) == FLAGS) {
            writer.txCommit(now);
            attemptOver();
            return;
        }
        committed();
    }

    /** The current attempt rolled back for {@code cause}. */
    public void aborted(long now, AbortCause cause) {
        if (!inAttempt()) return;
        beforeRecord(true);
        writer.txAbort(now, cause);
        attemptOver();
        if (cause != AbortCause.CONFLICT) pendingRef = null; // no re-run will complete it
    }

    /** The transaction is over (committed or left by an exception): nothing pending names the next. */
    public void transactionEnded() {
        pendingRef = null;
    }

    /**
     * Before any other record of this thread: the counted commits go out first, so that the log
     * keeps the thread's order, and, for a record inside an attempt, the attempt's TX_START, at
     * its start (the batch at that time too: its commits ended before).
     */
    void beforeRecord(boolean insideAttempt) {
        if (insideAttempt && inAttempt() && !written()) {
            long start = attemptStart;
            if (start == 0) {
                long told = startTimes == null ? 0 : startTimes.getAsLong();
                start = attemptStart = told != 0 ? now(told) : sampledStart();
            }
            // the ticker's samples of this attempt leave the batch: the attempt is timed exactly
            int a = attempt();
            sampledUncounted += serialSeen == serial(a) ? sampledInAttempt : 0;
            attempt = a | WRITTEN;
            writeBatch(start);
            writer.txStart(start);
        } else {
            writeBatch(System.nanoTime());
        }
    }

    /**
     * The start of an attempt started with 0 whose STM told no time of its own (ScalaSTM): now,
     * less the time the ticker has seen this thread in this attempt. Early by at most a tick (the
     * first tick that sees it lends it a whole one); now when no tick has seen it yet.
     */
    private long sampledStart() {
        long now = System.nanoTime();
        return serialSeen == serial(attempt()) ? now - sampledInAttempt : now;
    }

    /** {@code t}, unless it is unset (0) or in the future: then now. */
    private static long now(long t) {
        long now = System.nanoTime();
        return t == 0 || t - now > 0 ? now : t;
    }

    private void writeBatch(long time) {
        if (batchCount == 0) return;
        long sampled = sampledBusy - sampledUncounted;
        writer.txCommits(Math.max(time, writer.lastNanoTime()), batchCount, sampled - sampledWritten);
        sampledWritten = sampled;
        batchCount = 0;
    }

    /** At close, or once the thread has ended, from another thread: the counts this thread had not written. */
    void writeBatchAtClose(LogWriter to) {
        Recording.forget(this); // its thread has ended (or the log closes): no slot keeps it
        if (batchCount <= 0) return;
        long sampled = sampledBusy - sampledUncounted;
        to.forThread(threadId).txCommits(Math.max(System.nanoTime(), writer.lastNanoTime()), batchCount,
                sampled - sampledWritten);
        sampledWritten = sampled;
        batchCount = 0;
    }

    /**
     * The ticker's sample, every tick: {@code dt} ns more of a quiet attempt when the thread is
     * in one (not in a written attempt, which is timed exactly).
     */
    void sample(long dt) {
        int a = (int) ATTEMPT.getOpaque(this);
        if ((a & FLAGS) != IN_ATTEMPT) return;
        int s = serial(a);
        sampledBusy += dt;
        if (s == serialSeen) {
            sampledInAttempt += dt;
        } else {
            serialSeen = s;
            sampledInAttempt = dt;
        }
    }

    // ---------------------------------------------------------------- waits and marks

    public void waitBegin(long now, WaitKind kind) {
        beforeRecord(true);
        writer.waitBegin(now, kind);
    }

    public void waitEnd(long now, WaitKind kind) {
        beforeRecord(true);
        writer.waitEnd(now, kind);
    }

    /** An application-level mark (e.g. a transaction given up at the STM's retry limit). */
    public void mark(long now, String name, long value) {
        beforeRecord(false);
        writer.mark(now, log.string(name), value);
    }

    // ---------------------------------------------------------------- conflicts

    /**
     * The thread lost a conflict of {@code kind} on {@code ref} (null: unknown object) at
     * {@code time}. {@code victimAtAccess} is the stack of the victim's access when the conflict
     * was met at it, else 0 (met elsewhere, at commit): the re-run's first access of that kind to
     * {@code ref} then completes the contention. {@code otherThread} is the other side's thread id
     * (-1: unknown) and {@code otherStack} its site when the STM tells it (0: the object's latest
     * sampled write by another thread, or the next one, which is asked for).
     */
    public void lost(long time, ContentionKind kind, RefInfo ref, int victimAtAccess, long otherThread, int otherStack,
                     StackStyle style) {
        beforeRecord(true);
        int victim = victimAtAccess;
        boolean atEntry = false;
        int other = otherStack;
        int read = 0;
        if (ref != null) {
            if (other == 0) {
                other = ref.otherWriteSite(threadId, Math.max(0, otherThread));
                if (otherThread < 0 && other != 0) otherThread = ref.lastWriter();
            }
            if (other == 0) ref.wantWriter(threadId);
            int[] s = sites.get(ref);
            if (s != null && kind == ContentionKind.WRITE_READ) read = s[0];
            if (victim == 0) {
                if (mayCapture(BUDGET_PERCENT)) {
                    pendingRef = ref; // the re-run's access completes it: victim 0 until then
                    pendingAccess = kind == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ;
                } else if (s != null) {
                    victim = kind == ContentionKind.WRITE_WRITE ? s[1] : s[0];
                }
            }
        } else if (victim == 0) {
            victim = capture(style, BUDGET_PERCENT);
            atEntry = true;
        }
        writer.contention(time, kind, otherThread, victim, other, read,
                ref == null ? 0 : ref.label, ref == null ? 0 : ref.id, atEntry);
    }

    /**
     * The thread wrote {@code ref} at {@code site} (a stack it took anyway, e.g. where it barged
     * another transaction off the object): recorded as its write site, the other side of the
     * conflicts it causes.
     */
    public void wrote(RefInfo ref, int site) {
        if (ref != null) record(ref, AccessKind.WRITE, site, false);
    }

    /**
     * The thread reads or writes {@code ref} (the STM's object) inside an attempt: records the
     * site when it completes the thread's last conflict, when a conflict on it lacks its other
     * side, or as a sample of a contended object's sites. Costs a volatile read until the first
     * conflict of the program.
     */
    public void access(Object ref, AccessKind kind, StackStyle style) {
        if (!ContendedRefs.any()) return;
        RefInfo pending = pendingRef;
        if (pending != null && pendingAccess == kind && ContendedRefs.find(ref) == pending) {
            pendingRef = null;
            record(pending, kind, capture(style, ALWAYS), true); // budgeted at the conflict
            return;
        }
        if (kind == AccessKind.WRITE && ContendedRefs.anyWanted) {
            RefInfo info = ContendedRefs.find(ref);
            if (info != null && info.writerWanted() && info.takeWanted(threadId)) {
                record(info, kind, capture(style, BUDGET_PERCENT), true);
                return;
            }
        }
        if (--accessesToSkip >= 0) return;
        skipSomeAccesses();
        RefInfo info = ContendedRefs.find(ref);
        if (info == null || !mayCapture(SAMPLE_BUDGET_PERCENT)) return;
        record(info, kind, capture(style, ALWAYS), false);
    }

    /** Records {@code site} as the thread's {@code kind} site of {@code info}, when new or {@code always}. */
    private void record(RefInfo info, AccessKind kind, int site, boolean always) {
        if (site == 0) return;
        int[] s = sites.computeIfAbsent(info, k -> new int[2]);
        int i = kind == AccessKind.READ ? 0 : 1;
        if (always || s[i] != site) {
            beforeRecord(true);
            writer.accessSite(System.nanoTime(), info.id, kind, site);
        }
        s[i] = site;
        if (kind == AccessKind.WRITE) info.writeSite = (long) site << 32 | (threadId & 0xFFFF_FFFFL);
    }

    // ---------------------------------------------------------------- stacks

    /**
     * Whether another stack walk fits a budget of {@code percent}% of the thread's time since it
     * started recording, plus {@value #CAPTURE_CREDIT_NANOS} ns to start with (the runtime's).
     */
    public boolean mayCapture(int percent) {
        long elapsed = System.nanoTime() - since;
        return captureNanos < CAPTURE_CREDIT_NANOS + elapsed / 100 * percent;
    }

    /** The current stack's pool id, its walk charged to the budget; 0 when over {@code percent}. */
    public int capture(StackStyle style, int percent) {
        if (percent < ALWAYS && !mayCapture(percent)) return 0;
        long start = walkClock();
        int id = log.stack(Stacks.capture(style, Recording.depth()));
        captureNanos += walkClock() - start;
        return id;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /**
     * The clock stack walks are charged by: the thread's CPU time where the JVM has it, as the
     * runtime's (its ConflictSites). By the wall clock a walk was charged for the time its thread
     * sat descheduled: on a loaded machine a thread's few walks could use up its budget (an
     * AgentTopIT run at load 7 on 2 cores had the barged transaction's two conflicts without a
     * stack, as a thread over its budget records them). A CPU-time read costs about 0.55 us
     * here; it is read only around a walk.
     */
    static long walkClock() {
        long cpu = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu >= 0 ? cpu : System.nanoTime();
    }

    /** Skips a random number of accesses, {@value #SITE_SAMPLE} on average (a fixed stride can alias). */
    private void skipSomeAccesses() {
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        accessesToSkip = (x & (2 * SITE_SAMPLE - 1)) - 1;
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
