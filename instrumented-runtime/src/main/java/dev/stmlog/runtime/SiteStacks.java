package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.event.Frame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stacks that {@link ConflictSites} takes, by id, for the whole JVM: the ids are those of the
 * stmlog log's pool when {@code STM_LOG} records, else this class's own; either way each id's
 * frames are kept here, so that a JFR event can name them (a thread's conflict names the other
 * side by the id another thread stored in the Ref). Only captured stacks come here: a few
 * hundred distinct ones in the samples.
 */
final class SiteStacks {
    private static final Map<Integer, List<Frame>> FRAMES = new ConcurrentHashMap<>();
    private static final Map<List<Frame>, Integer> IDS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private SiteStacks() {
    }

    /** The id of {@code frames}, 0 for none; from the log's pool when there is a log. */
    static int id(LogWriter pools, List<Frame> frames) {
        if (frames.isEmpty()) return 0;
        if (pools != null) {
            int id = pools.stack(frames);
            if (id != 0) FRAMES.putIfAbsent(id, frames);
            return id;
        }
        return IDS.computeIfAbsent(frames, f -> {
            int id = NEXT.incrementAndGet();
            FRAMES.put(id, f);
            return id;
        });
    }

    /** The frames of stack {@code id}; empty for 0 or an unknown id. */
    static List<Frame> frames(int id) {
        if (id == 0) return List.of();
        List<Frame> f = FRAMES.get(id);
        return f == null ? List.of() : f;
    }

    /** {@code frames} as JFR fields give them: top frame first, one per line; null for none. */
    static String text(List<Frame> frames) {
        if (frames.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (Frame f : frames) {
            if (b.length() > 0) b.append('\n');
            b.append(f);
        }
        return b.toString();
    }
}
