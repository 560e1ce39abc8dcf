package dev.stmlog.reports;

import java.util.List;

/** A scaling experiment: runs at several thread counts, and maybe a serial baseline. */
public record ScaleView(List<ScaleRun> runs) implements View {
    public ScaleView {
        runs = List.copyOf(runs);
    }

    /** The serial baseline, or null. */
    public ScaleRun baseline() {
        for (ScaleRun r : runs) if (r.baseline()) return r;
        return null;
    }

    /** The 1-thread run that is not the baseline, preferring mode {@code stm}; or null. */
    public ScaleRun oneThread() {
        ScaleRun any = null;
        for (ScaleRun r : runs) {
            if (r.baseline() || r.threads() != 1) continue;
            if ("stm".equals(r.mode())) return r;
            if (any == null) any = r;
        }
        return any;
    }

    /** {@code r}'s throughput over the 1-thread run's; NaN when there is none. */
    public double speedupVsOneThread(ScaleRun r) {
        ScaleRun one = oneThread();
        return one == null || one.throughput() == 0 ? Double.NaN : r.throughput() / one.throughput();
    }

    /** {@code r}'s throughput over the serial baseline's; NaN when there is none. */
    public double speedupVsBaseline(ScaleRun r) {
        ScaleRun b = baseline();
        return b == null || b.throughput() == 0 ? Double.NaN : r.throughput() / b.throughput();
    }
}
