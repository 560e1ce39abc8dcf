package dev.stmlog.analyzer;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.RowKind;

import java.util.List;

/**
 * What identifies one row: its kind and, depending on the grouping, the victim's frames, the
 * other side's frames, the victim thread or the label (grouping by Ref; grouping by site, when
 * the victim has no stack). Unused parts are empty or null.
 */
record SiteKey(RowKind kind, List<Frame> frames, List<Frame> otherFrames, String thread, String label) {

    // one of each, made once: a kind is looked up for every contention, abort and wait
    private static final RowKind[] CONTENTIONS = kinds(RowKind.Origin.CONTENTION, ContentionKind.values());
    private static final RowKind[] ABORTS = kinds(RowKind.Origin.UNEXPLAINED_ABORT, AbortCause.values());
    private static final RowKind[] WAITS = kinds(RowKind.Origin.UNEXPLAINED_WAIT, WaitKind.values());

    private static RowKind[] kinds(RowKind.Origin origin, Enum<?>[] names) {
        RowKind[] kinds = new RowKind[names.length];
        for (Enum<?> n : names) kinds[n.ordinal()] = new RowKind(origin, n.name());
        return kinds;
    }

    static RowKind kind(ContentionKind kind) {
        return CONTENTIONS[kind.ordinal()];
    }

    /** The row of aborts with this cause that no contention explains. */
    static RowKind unexplained(AbortCause cause) {
        return ABORTS[cause.ordinal()];
    }

    /** The row of waits of this kind that no contention explains. */
    static RowKind unexplained(WaitKind kind) {
        return WAITS[kind.ordinal()];
    }
}
