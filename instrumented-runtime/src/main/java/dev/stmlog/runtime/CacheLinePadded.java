package dev.stmlog.runtime;

/**
 * 64 bytes of padding ahead of a subclass's fields (a superclass's fields come first in an
 * object's layout): for the per-thread objects that every transaction writes ({@link Txn}, its
 * {@link ReadSet} and {@link WriteSet}, its {@link Counters}), so that the end of an object of
 * another thread never shares a cache line with their fields. Such objects can be adjacent: at
 * the boundary of two threads' allocation buffers, or after a collection, which copies them in
 * the order it finds them (every thread's {@code Txn} from {@link CurrentTxn}'s one array).
 * Measured on the read-mostly map at 2 threads (JMH, 15 forks per build, runs alternating): the
 * forks' median 8.9 ops/µs without (5.0 to 12.9), 11.4 with (8.9 to 13.0); the bank, and either
 * at 1 thread, the same.
 */
abstract class CacheLinePadded {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}
