package dev.stmlog.format;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.WaitKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random event streams covering every event type and awkward values. */
final class RandomEvents {
    private RandomEvents() {}

    private static final String[] NAMES = {"main", "stm-worker-1", "wörker «2»", "<script>", "", "a\"b'c\\d", "線程"};

    static List<Event> generate(long seed, int threads, int count) {
        Random r = new Random(seed);
        List<Stack> stacks = new ArrayList<>();
        for (int i = 0; i < 12; i++) stacks.add(randomStack(r));
        long[] time = new long[threads];
        List<Event> out = new ArrayList<>();
        for (int t = 0; t < threads; t++) out.add(new ThreadStart(0, t + 1, NAMES[r.nextInt(NAMES.length)]));
        for (int i = 0; i < count; i++) {
            int t = r.nextInt(threads);
            time[t] += delta(r);
            out.add(randomEvent(r, time[t], t + 1L, threads, stacks));
        }
        return out;
    }

    private static long delta(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> (long) (r.nextDouble() * 1e12);
            case 2, 3 -> r.nextInt(1_000_000);
            default -> r.nextInt(128);
        };
    }

    private static Event randomEvent(Random r, long time, long thread, int threads, List<Stack> stacks) {
        return switch (r.nextInt(17)) {
            case 0, 1 -> new TxStart(time, thread);
            case 2, 3 -> new TxCommit(time, thread);
            case 4 -> new TxAbort(time, thread, AbortCause.values()[r.nextInt(AbortCause.values().length)]);
            case 5 -> new Contention(time, thread, ContentionKind.values()[r.nextInt(3)],
                    r.nextBoolean() ? Contention.UNKNOWN_THREAD : 1 + r.nextInt(threads),
                    pick(r, stacks), pick(r, stacks), pick(r, stacks),
                    r.nextBoolean() ? null : "ref-" + r.nextInt(5), r.nextInt(6), r.nextBoolean(),
                    ValueChange.values()[r.nextInt(4)], switch (r.nextInt(4)) {
                        case 0 -> Contention.UNKNOWN_NANOS;
                        case 1 -> r.nextInt(1000);
                        case 2 -> r.nextInt(1 << 30); // past 4 bytes: the decoders' slow path
                        default -> r.nextLong() >>> 2;
                    });
            case 6 -> new WaitBegin(time, thread, WaitKind.values()[r.nextInt(4)]);
            case 7 -> new WaitEnd(time, thread, WaitKind.values()[r.nextInt(4)]);
            case 8 -> new BecomeInevitable(time, thread, pick(r, stacks));
            case 9 -> new GcPause(time, thread, r.nextBoolean() ? "G1 Young Generation" : "G1 Old Generation",
                    r.nextInt(50_000_000));
            case 10 -> new UserMark(time, thread, r.nextBoolean() ? "request completed" : "ops",
                    switch (r.nextInt(4)) {
                        case 0 -> Long.MIN_VALUE;
                        case 1 -> Long.MAX_VALUE;
                        case 2 -> -r.nextInt(1000);
                        default -> r.nextLong();
                    });
            case 11 -> new DataLoss(time, thread, r.nextInt(1000));
            case 12 -> new TxCommits(time, thread, 1 + r.nextInt(r.nextBoolean() ? 100 : 1_000_000),
                    r.nextBoolean() ? r.nextInt(1_000_000) : (long) (r.nextDouble() * 1e12));
            case 13 -> new AccessSite(time, thread, 1 + r.nextInt(5), AccessKind.values()[r.nextInt(2)], pick(r, stacks));
            case 14 -> new UntimedStart(time, thread, r.nextBoolean() ? 0 : r.nextInt(50_000_000));
            case 15 -> new UserMarks(time, thread, r.nextBoolean() ? "request completed" : "ops",
                    r.nextBoolean() ? 1 + r.nextInt(100) : 1 + (r.nextLong() >>> 1) % Long.MAX_VALUE,
                    r.nextBoolean() ? r.nextInt(1000) : r.nextLong());
            default -> new ThreadStart(time, thread, NAMES[r.nextInt(NAMES.length)]);
        };
    }

    private static Stack pick(Random r, List<Stack> stacks) {
        return r.nextInt(4) == 0 ? Stack.EMPTY : stacks.get(r.nextInt(stacks.size()));
    }

    private static Stack randomStack(Random r) {
        List<Frame> frames = new ArrayList<>();
        int depth = 1 + r.nextInt(8);
        for (int i = 0; i < depth; i++) {
            frames.add(new Frame("com.example.pkg" + r.nextInt(3) + ".Class" + r.nextInt(20),
                    r.nextBoolean() ? "method" + r.nextInt(9) : "lambda$run$" + r.nextInt(3),
                    r.nextInt(5) == 0 ? null : "Class" + r.nextInt(20) + ".java",
                    r.nextInt(5) == 0 ? -1 : r.nextInt(5000)));
        }
        return new Stack(frames);
    }
}
