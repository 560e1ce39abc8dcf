package dev.stmlog.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Stm#stats()} stays exact while the counters of finished threads are dropped; the
 * registry says when a second thread has used the STM (in a child JVM: this one has many).
 */
class CountersTest {

    private static final int THREADS = 2_000;

    /** Starts and joins {@code n} threads, one after the other, each committing one transaction. */
    private static void shortLivedThreads(int n, Ref<Integer> r) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> Stm.atomic(() -> r.update(v -> v + 1)), "short-lived-" + i);
            t.start();
            t.join();
        }
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    @Test
    void statsCountsFinishedThreadsAndDropsTheirCounters() throws InterruptedException {
        Ref<Integer> r = new Ref<>(0, "r");
        StmStats before = Stm.stats();
        shortLivedThreads(THREADS, r);
        StmStats delta = Stm.stats().minus(before);

        assertEquals(THREADS, r.get());
        assertEquals(THREADS, delta.commits());
        assertEquals(0, delta.readOnlyCommits());
        // stats() pruned the dead threads: only live ones are left.
        int registered = Counters.registered();
        assertTrue(registered <= liveThreads() + 2, "registered " + registered + ", live " + liveThreads());
        // and nothing was lost by pruning: a second snapshot agrees.
        assertEquals(THREADS, Stm.stats().minus(before).commits());
    }

    @Test
    void severalThreadsTurnsOnWithTheSecondThreadsFirstTransaction(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SecondThread.class.getName());
        pb.environment().remove("STM_LOG");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child exits");
        } finally {
            p.destroyForcibly();
        }
        assertEquals("one thread: false\ntwo threads: true", Files.readString(out).strip());
    }

    @Test
    void registrationsAloneKeepTheRegistryBounded() throws InterruptedException {
        Ref<Integer> r = new Ref<>(0, "r");
        StmStats before = Stm.stats();
        shortLivedThreads(THREADS, r); // no stats() in between
        int registered = Counters.registered();
        int bound = 2 * liveThreads() + 64;
        assertTrue(registered <= bound, "registered " + registered + ", bound " + bound);
        assertEquals(THREADS, Stm.stats().minus(before).commits());
    }
}
