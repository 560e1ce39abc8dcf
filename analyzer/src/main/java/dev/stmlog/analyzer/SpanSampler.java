package dev.stmlog.analyzer;

import dev.stmlog.reports.SpanView;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread's transaction and wait spans for the report's time line, in bounded memory: at most
 * {@code capacity} spans are kept (the arrays grow to that as needed). When full, every other kept span is dropped and from then on
 * only one span in twice as many is kept, so the kept spans stay evenly spread over the run.
 */
final class SpanSampler {
    static final byte COMMITTED = 0, ABORTED = 1, INEVITABLE = 2, WAIT = 3;
    // indexed by the codes above, which are the outcomes' ordinals (bytes, not references: 17 bytes a span)
    private static final SpanView.Outcome[] OUTCOMES = SpanView.Outcome.values();

    private final int capacity;
    private long[] starts;
    private long[] ends;
    private byte[] kinds;
    private int size;
    private long stride = 1;
    private long skip;
    long seen;

    SpanSampler(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity");
        this.capacity = capacity;
        // grown as needed: threads with few spans cost little
        int initial = Math.min(capacity, 64);
        starts = new long[initial];
        ends = new long[initial];
        kinds = new byte[initial];
    }

    void add(long start, long end, byte kind) {
        seen++;
        if (skip > 0) {
            skip--;
            return;
        }
        skip = stride - 1;
        if (size == capacity) {
            int j = 0;
            for (int i = 0; i < size; i += 2, j++) {
                starts[j] = starts[i];
                ends[j] = ends[i];
                kinds[j] = kinds[i];
            }
            size = j;
            stride *= 2;
            skip = stride - 1;
        } else if (size == starts.length) {
            int n = Math.min(capacity, size * 2);
            starts = java.util.Arrays.copyOf(starts, n);
            ends = java.util.Arrays.copyOf(ends, n);
            kinds = java.util.Arrays.copyOf(kinds, n);
        }
        starts[size] = start;
        ends[size] = end;
        kinds[size] = kind;
        size++;
    }

    int stride() {
        return (int) Math.min(Integer.MAX_VALUE, stride);
    }

    /** The kept spans, shifted by {@code offset}, by start time. */
    List<SpanView> spans(long offset) {
        List<SpanView> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(new SpanView(starts[i] + offset, ends[i] + offset, OUTCOMES[kinds[i]]));
        out.sort(java.util.Comparator.comparingLong(SpanView::startNanos));
        return out;
    }
}
