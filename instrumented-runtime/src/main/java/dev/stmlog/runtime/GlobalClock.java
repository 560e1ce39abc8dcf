package dev.stmlog.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global version clock, which also carries the inevitable token.
 *
 * <p>Layout of the 64-bit clock word: {@code time << 1 | INEVITABLE}. {@code time} is the
 * version of the latest commit. Bit 0 is set while some transaction holds the inevitable token.
 * Keeping the token in the clock word is what makes inevitability cheap and race free:
 * a writer obtains its commit version with one {@code getAndAdd(2)}, and the value it gets back
 * tells it atomically whether an inevitable transaction was running at that instant (then it
 * publishes nothing and waits, see {@link Txn}).
 *
 * <p>The word lives alone on its cache lines (padding through the class hierarchy, which the
 * JVM's field layout preserves), since every writing commit hits it.
 */
final class GlobalClock {

    static final long INEVITABLE = 1L;

    private static final PaddedWord CLOCK = new PaddedWord();

    private GlobalClock() {
    }

    /** The raw clock word (volatile read). */
    static long raw() {
        return CLOCK.getVolatile();
    }

    /** Current time: the version of the latest commit that obtained a version. */
    static long time() {
        return CLOCK.getVolatile() >>> 1;
    }

    /** Advances time by one; returns the previous raw word (check its INEVITABLE bit!). */
    static long tick() {
        return CLOCK.getAndAdd(2L);
    }

    static boolean inevitableHeld() {
        return (CLOCK.getVolatile() & INEVITABLE) != 0;
    }

    /** Tries to set the INEVITABLE bit. */
    static boolean tryAcquireInevitable() {
        long c = CLOCK.getVolatile();
        return (c & INEVITABLE) == 0 && CLOCK.compareAndSet(c, c | INEVITABLE);
    }

    /**
     * Called by the token holder that commits writes: adding 1 to a word whose bit 0 is set
     * clears the bit and carries into time, i.e. it releases the token and takes the next
     * version in one atomic step. Returns the commit version.
     */
    static long releaseInevitableAndTick() {
        return (CLOCK.getAndAdd(1L) >>> 1) + 1;
    }

    /** Called by the token holder that commits no writes (or rolls back): clears bit 0. */
    static void releaseInevitable() {
        CLOCK.getAndAdd(-1L);
    }

    // --- padding: keep the clock word away from any other hot field -------------------------

    abstract static class PadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Word extends PadBefore {
        volatile long value;
    }

    static final class PaddedWord extends Word {
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Word.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long getVolatile() {
            return value;
        }

        long getAndAdd(long delta) {
            return (long) VALUE.getAndAdd(this, delta);
        }

        boolean compareAndSet(long expected, long next) {
            return VALUE.compareAndSet(this, expected, next);
        }
    }
}
