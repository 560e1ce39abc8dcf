package dev.stmlog.runtime;

/**
 * Child program for {@code CountersTest}: prints {@link Counters#severalThreads()} after the
 * main thread's transaction, then after a second thread's, one line each.
 */
public final class SecondThread {
    public static void main(String[] args) throws Exception {
        Ref<Integer> ref = new Ref<>(0);
        Stm.atomic(() -> ref.set(ref.get() + 1));
        System.out.println("one thread: " + Counters.severalThreads());
        Thread second = new Thread(() -> Stm.atomic(() -> ref.set(ref.get() + 1)));
        second.start();
        second.join(60_000);
        System.out.println("two threads: " + Counters.severalThreads());
    }
}
