package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.RecorderEnvironment;
import dev.stmlog.format.WriteSummary;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's log: opened when the first supported STM is found (so that a program without one
 * gets no file and no output), written through log-format's {@link LogWriter} with the
 * instrumented runtime's conventions (the {@code STM_LOG} target with {@code %p} and {@code %t},
 * {@code STM_LOG_META}, {@code STM_LOG_DEPTH}, {@code STM_LOG_MAX_BYTES}, the line at exit), and
 * closed at JVM exit after every thread's counted commits are written.
 */
public final class Recording {
    /** The header's writer version: which program wrote the file. */
    static final String WRITER_VERSION = "stmlog-agent 0.1.0";

    private static volatile String target;
    private static volatile LogWriter log;
    private static volatile boolean failed;
    private static int depth = 8;

    /** Every thread's recorder, for the counts not written yet when the log closes. */
    private static final Set<ThreadRecord> THREADS = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<ThreadRecord> CURRENT = new ThreadLocal<>();
    /**
     * The threads' recorders by thread id, direct-mapped, before {@link #CURRENT} (the runtime's
     * CurrentTxn): one array load and a compare. A ThreadLocal look-up at each attempt's start
     * and end cost more than its own work: Clojure's {@code runInTransaction} empties its own
     * ThreadLocal at every dosync, so the shared profile of {@code ThreadLocal.get} inlined its
     * insert path into {@code LockingTransaction.run} twice, and C2 ran out of nodes for the
     * commit path's {@code ArrayList.clear} calls (NodeCountInliningCutoff with -XX:+PrintInlining).
     * A miss (a thread's first use, or two live threads whose ids collide) takes the ThreadLocal and
     * refills the slot; the compare of the final {@code thread} field makes a racy read harmless.
     */
    private static final int CACHE_SIZE = 1024; // a power of two
    private static final ThreadRecord[] CACHE = new ThreadRecord[CACHE_SIZE];

    private Recording() {
    }

    /** Called once, by the agent's entry, with {@code STM_LOG}'s value. Opens nothing yet. */
    static void configure(String stmLog) {
        target = stmLog;
        depth = RecorderEnvironment.intSetting("STM_LOG_DEPTH", 8);
    }

    /**
     * Opens the log for {@code stm}, the first STM found, unless open already; false when it
     * cannot be opened (one line said why) or no {@code STM_LOG} was configured.
     */
    static synchronized boolean start(String stm) {
        if (log != null) return true;
        if (failed || target == null) return false;
        Map<String, String> user = RecorderEnvironment.userMetadata();
        user.put("recorder", "agent");
        user.put("stm", stm);
        user.put("timing", "sampled"); // quiet attempts' time is sampled (see ThreadRecord)
        Metadata metadata = Metadata.ofThisJvm(0, user);
        Path path = RecorderEnvironment.logPath(target, metadata.pid(), Instant.now());
        try {
            WriterOptions defaults = WriterOptions.defaults();
            WriterOptions options = new WriterOptions(defaults.bufferSize(),
                    RecorderEnvironment.longSetting("STM_LOG_MAX_BYTES", WriterOptions.DEFAULT_MAX_BYTES), defaults.flushIntervalNanos(),
                    defaults.maxPendingBytes(), false, defaults.closeTimeoutNanos(), defaults.warnings(), WRITER_VERSION);
            log = LogWriter.open(path, metadata, options);
        } catch (IOException | RuntimeException e) {
            failed = true;
            System.err.println("stmlog: cannot record to " + path + " (" + describe(e) + "); recording disabled");
            return false;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Recording::close, "stmlog-close"));
        Ticker.start(log, THREADS);
        return true;
    }

    /** The log, or null before the first STM was found. */
    public static LogWriter log() {
        return log;
    }

    /** Frames kept per captured stack ({@code STM_LOG_DEPTH}, 8 by default). */
    public static int depth() {
        return depth;
    }

    /** Whether events are being recorded (the log is open and has not stopped). */
    public static boolean isRecording() {
        LogWriter l = log;
        return l != null && l.isRecording();
    }

    /** The calling thread's recorder, made on first use; the log must be open. */
    public static ThreadRecord thread() {
        Thread t = Thread.currentThread();
        ThreadRecord r = CACHE[(int) t.getId() & (CACHE_SIZE - 1)];
        if (r != null && r.thread == t) return r;
        return miss(t);
    }

    private static ThreadRecord miss(Thread t) {
        ThreadRecord r = CURRENT.get();
        if (r == null) {
            r = new ThreadRecord(log, log.forCurrentThread(), t);
            CURRENT.set(r);
            THREADS.add(r);
        }
        CACHE[(int) t.getId() & (CACHE_SIZE - 1)] = r;
        return r;
    }

    /**
     * Drops {@code r}, whose thread has ended (or the log closes), from the cache, so that it
     * keeps no finished thread's recorder. A live thread that refills the slot at the same moment
     * may see its entry cleared too: it then misses once and refills it.
     */
    static void forget(ThreadRecord r) {
        int slot = (int) r.threadId & (CACHE_SIZE - 1);
        if (CACHE[slot] == r) CACHE[slot] = null;
    }

    /** At exit: every thread's counted commits, then the log closed, and one line saying where. */
    private static void close() {
        LogWriter l = log;
        synchronized (THREADS) {
            for (ThreadRecord r : THREADS) r.writeBatchAtClose(l);
            THREADS.clear();
        }
        l.close();
        WriteSummary s = l.summary();
        String lost = s.eventsLost() == 0 ? ""
                : " (" + s.eventsLost() + " events lost" + (s.stopReason() == null ? "" : ": " + s.stopReason()) + ")";
        System.err.println("stmlog: recorded " + s.eventsWritten() + " events to " + s.name() + lost);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
