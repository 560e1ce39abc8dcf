package dev.stmlog.reports;

import java.util.List;
import java.util.Objects;

/**
 * A thread's transactions and waits on the time line, sampled to keep memory bounded.
 *
 * @param spans  the recorded spans, by start time
 * @param seen   spans that happened (in the window)
 * @param stride one span in {@code stride} was kept (1: all of them)
 */
public record ThreadTimelineView(String id, String name, List<SpanView> spans, long seen, int stride) {
    public ThreadTimelineView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        spans = List.copyOf(spans);
    }

    public boolean sampled() {
        return stride > 1;
    }
}
