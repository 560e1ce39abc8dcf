package dev.stmlog.agent;

import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The STMs' access advice (a transaction's reads and writes), added at the program's first
 * conflict rather than when the STM's classes load. Until a conflict, an access records
 * nothing (its site matters only for an object that has been contended), yet its inlined advice
 * cost the transaction: in LockingTransaction.run's C2 compilation the accesses' advice (with
 * its test of "any conflict yet", a MutableCallSite's constant, whose method-handle forms inline
 * some 220 bytes of bytecode at each of a transaction's accesses) and the attempt's VarHandle
 * stores took it past DesiredMethodLimit (8000 bytes inlined): C2 then left the commit path's
 * own calls (ArrayList and HashMap iterators, tryWriteLock, releaseIfEnsured, stop) uninlined
 * ({@code size > DesiredMethodLimit} with -XX:+PrintInlining), which the plain run inlines.
 *
 * <p>An STM's transformation asks {@link #now} whether to add its access advice: false until the
 * first conflict, and the class is remembered. The first conflict ({@link ContendedRefs})
 * {@linkplain #want wants} them; the next attempt to start, in any thread, retransforms the
 * remembered classes with it ({@link #installIfWanted}), before its clock is read (the
 * retransformation, tens of ms, is in no attempt's time). What an access records is the same as
 * before: the re-run that completes a conflict, the sampled sites and the other side's next write
 * all come after the first conflict; only the accesses made between the first conflict and the
 * next attempt start of any thread (by transactions then running) are not seen.
 */
public final class AccessHooks {
    private static final int NONE = 0;
    private static final int WANTED = 1;
    private static final int INSTALLED = 2;

    /** The agent's: the STMs' transformations and recorders use it through the static methods. */
    private static final AccessHooks AGENT = new AccessHooks();

    private volatile int state = NONE;
    private volatile Instrumentation inst;
    /** The classes transformed without their access advice, to retransform at the first conflict. */
    private final List<Later> later = new ArrayList<>();

    AccessHooks() {
    }

    private record Later(WeakReference<ClassLoader> loader, boolean boot, String name) {
    }

    static void instrumentation(Instrumentation i) {
        AGENT.inst = i;
    }

    /**
     * Asked by an STM's transformation of {@code className}: whether to add its access advice
     * now (once a conflict has been recorded); if not, the class is retransformed with it at the
     * first conflict.
     */
    public static boolean now(ClassLoader loader, String className) {
        return AGENT.addNow(loader, className);
    }

    /** Whether an attempt start should call {@link #installIfWanted}: a volatile read. */
    public static boolean wanted() {
        return AGENT.state == WANTED;
    }

    /**
     * Retransforms the classes left without their access advice, once; called at an attempt's
     * start, before its clock is read. A failure leaves them as they are (one line says so).
     */
    public static void installIfWanted() {
        AGENT.install();
    }

    /** The first conflict: the next attempt to start adds the access advice. */
    static void want() {
        AGENT.wantHooks();
    }

    synchronized boolean addNow(ClassLoader loader, String className) {
        if (state != NONE) return true;
        later.add(new Later(new WeakReference<>(loader), loader == null, className));
        return false;
    }

    synchronized void wantHooks() {
        if (state == NONE) state = WANTED;
    }

    /** This instance's instrumentation (the agent's is set by {@link #instrumentation(Instrumentation)}). */
    void use(Instrumentation i) {
        inst = i;
    }

    synchronized void install() {
        if (state != WANTED) return;
        state = INSTALLED; // before the retransformation: the transformations' now() answer true
        List<Class<?>> classes = new ArrayList<>();
        for (Later l : later) {
            ClassLoader loader = l.loader.get();
            if (loader == null && !l.boot) continue;
            try {
                classes.add(Class.forName(l.name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // unloaded since: nothing to hook
            }
        }
        later.clear();
        Instrumentation i = inst;
        if (classes.isEmpty() || i == null) return;
        try {
            i.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            System.err.println("stmlog: cannot add the access advice (" + Recording.describe(e)
                    + "); conflicts are recorded without their re-runs' and other sides' sites");
        }
    }
}
