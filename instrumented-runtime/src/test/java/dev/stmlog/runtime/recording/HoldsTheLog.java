package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records {@code transactions} transactions and a mark {@code "process"} with value {@code id},
 * then (with {@code hold}) prints {@code ready} and keeps its log open until a line arrives on
 * stdin (at most two minutes), then records as many again. Run by {@link RecordingRobustnessTest}
 * in two child JVMs with the same {@code STM_LOG}, so that their recordings overlap for certain.
 */
public final class HoldsTheLog {

    public static void main(String[] args) throws InterruptedException {
        long id = Long.parseLong(args[0]);
        int transactions = Integer.parseInt(args[1]);
        boolean hold = Boolean.parseBoolean(args[2]);
        Ref<Long> counter = new Ref<>(0L, "counter");
        run(counter, id, transactions);
        if (hold) {
            CountDownLatch told = new CountDownLatch(1);
            Thread stdin = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                    in.readLine();
                } catch (java.io.IOException ignored) {
                    // a closed stdin tells it to finish too
                }
                told.countDown();
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            System.out.println("ready");
            System.out.flush();
            if (!told.await(120, TimeUnit.SECONDS)) System.exit(3);
            run(counter, id, transactions);
        }
        System.out.println("counter=" + counter.get());
    }

    private static void run(Ref<Long> counter, long id, int transactions) {
        for (int i = 0; i < transactions; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
        Stm.markTimed("process", id);
    }
}
