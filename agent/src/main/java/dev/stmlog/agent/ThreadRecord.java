package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.WaitKind;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * One thread's recorder: the seam every STM's advice records through. It keeps the thread's
 * attempt (started, written or not), its counted commits, its stack budget and what its last
 * conflict still lacks, and writes the records in the thread's order.
 *
 * <p>Timing: every attempt is timed from its start (one {@code System.nanoTime()} at the start,
 * one at the end). An attempt in which nothing else is recorded is only counted; the counts go
 * out as one COMMITS record per thread every {@value #BATCH_NANOS} ns at most (the runtime's
 * clock tick), with their exact busy time. An attempt in which something is recorded (a
 * contention, a wait, an access site, an abort) gets its TX_START written first, at its start.
 *
 * <p>Both sides of a conflict, as the runtime records them (its README's "Both sides of every
 * conflict"): the victim's access when the conflict is met at it, else the re-run's first access
 * of that kind to the object, written as an ACCESS_SITE that completes the contention; the other
 * side is the object's latest sampled write by another thread, else the next write of it, which
 * is asked for ({@link RefInfo#writerWanted}). Accesses to contended objects are sampled (one in
 * {@value #SITE_SAMPLE} on average), and stack walks are held to a share of the thread's time.
 */
public final class ThreadRecord {
    /** At most one COMMITS record per thread per this many ns (the runtime's clock tick). */
    static final long BATCH_NANOS = 10_000_000;
    /** One in this many of a thread's accesses to contended objects records its site. */
    private static final int SITE_SAMPLE = 8;
    /** The victims' stacks may take this share of the thread's time, the sampled sites half as much (the runtime's budget). */
    public static final int BUDGET_PERCENT = 2;
    public static final int SAMPLE_BUDGET_PERCENT = 1;
    public static final int ALWAYS = 100;
    private static final long CAPTURE_CREDIT_NANOS = 100_000_000;

    private final LogWriter log;
    final ThreadWriter writer;
    final long threadId;
    private final Thread thread;

    private boolean inAttempt;
    private boolean written;
    private long attemptStart;

    private long batchCount;
    private long batchBusy;
    private long batchEnd;
    private long batchWrittenAt;

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

    // ---------------------------------------------------------------- attempts

    /** An attempt starts (each retry is a new attempt). */
    public void attemptStarted(long now) {
        if (inAttempt && written) writer.txAbort(now, AbortCause.CONFLICT); // an end the advice missed
        inAttempt = true;
        written = false;
        attemptStart = now;
    }

    public boolean inAttempt() {
        return inAttempt;
    }

    /** The current attempt committed. */
    public void committed(long now) {
        if (!inAttempt) return;
        inAttempt = false;
        if (written) {
            writer.txCommit(now);
            written = false;
            return;
        }
        batchCount++;
        batchBusy += now - attemptStart;
        batchEnd = now;
        if (now - batchWrittenAt >= BATCH_NANOS) writeBatch();
    }

    /** The current attempt rolled back for {@code cause}. */
    public void aborted(long now, AbortCause cause) {
        if (!inAttempt) return;
        beforeRecord(true);
        writer.txAbort(now, cause);
        inAttempt = false;
        written = false;
        if (cause != AbortCause.CONFLICT) pendingRef = null; // no re-run will complete it
    }

    /** The transaction is over (committed or left by an exception): nothing pending names the next. */
    public void transactionEnded() {
        pendingRef = null;
    }

    /**
     * Before any other record of this thread: the counted commits go out first, so that the log
     * keeps the thread's order, and, for a record inside an attempt, the attempt's TX_START.
     */
    void beforeRecord(boolean insideAttempt) {
        if (batchCount > 0) writeBatch();
        if (insideAttempt && inAttempt && !written) {
            writer.txStart(attemptStart);
            written = true;
        }
    }

    private void writeBatch() {
        if (batchCount > 0) writer.txCommits(batchEnd, batchCount, batchBusy);
        batchCount = 0;
        batchBusy = 0;
        batchWrittenAt = batchEnd;
    }

    /** At close, from the closing thread: the counts this thread had not written. */
    void writeBatchAtClose(LogWriter to) {
        if (batchCount <= 0) return;
        to.forThread(threadId).txCommits(Math.max(batchEnd, writer.lastNanoTime()), batchCount, batchBusy);
        batchCount = 0;
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
            if (other == 0) {
                ref.writerWanted = true;
                ContendedRefs.anyWanted = true;
            }
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
        if (!ContendedRefs.any) return;
        RefInfo pending = pendingRef;
        if (pending != null && pendingAccess == kind && ContendedRefs.find(ref) == pending) {
            pendingRef = null;
            record(pending, kind, capture(style, ALWAYS), true); // budgeted at the conflict
            return;
        }
        if (kind == AccessKind.WRITE && ContendedRefs.anyWanted) {
            RefInfo info = ContendedRefs.find(ref);
            if (info != null && info.writerWanted) {
                info.writerWanted = false;
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
        long start = System.nanoTime();
        int id = log.stack(Stacks.capture(style, Recording.depth()));
        captureNanos += System.nanoTime() - start;
        return id;
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
