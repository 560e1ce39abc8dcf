package dev.stmlog.analyzer;

import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes the conflicts of one log that were recorded without one of their sides (see the
 * format's CONTENTION and ACCESS_SITE records), so that each conflict is charged to one site
 * with both of its lines.
 *
 * <p>A conflict met at commit is recorded without the victim's access; the victim's re-run
 * records its first access to the same object, which completes it while the log is read
 * ({@link #accessSite}). The first conflict on an object has no other side; a later write of
 * the object by that thread names it. What is still missing at the end of the log is taken from
 * the other conflicts of the same kind on the same object ({@link #resolve}): the victim site
 * that most of them name, the other side that most of them name; else from those on the same
 * container, or with the same inevitable transaction ({@link Key#joins}); else the threads'
 * recorded access sites. Conflicts completed from others so are counted in {@link #merged}.
 */
final class ConflictJoin {

    /**
     * What a conflict is joined by, in this order: the object, by its id in the log (or by its
     * label in logs without ids); the container of that object (the elements of one {@code TMap}
     * or {@code TArray}, labelled {@code name[key]}, are used by the same lines); and, for a
     * conflict with an inevitable transaction, that transaction's side (a wait for it at commit
     * has no object).
     */
    record Key(ContentionKind kind, long ref, String label, List<Frame> inevitableSide) {
        static Key of(ContentionKind kind, long ref, String label, List<Frame> inevitableSide) {
            return new Key(kind, ref, label, kind == ContentionKind.INEVITABLE ? inevitableSide : List.of());
        }

        /** The keys to join by, best first. */
        List<Object> joins() {
            List<Object> keys = new ArrayList<>(3);
            if (ref != 0) keys.add(new ObjectKey(kind, ref, null));
            else if (label != null) keys.add(new ObjectKey(kind, 0, label));
            int bracket = label == null ? -1 : label.indexOf('[');
            if (bracket > 0 && label.endsWith("]")) keys.add(new ContainerKey(kind, label.substring(0, bracket)));
            if (!inevitableSide.isEmpty()) keys.add(new SideKey(kind, inevitableSide));
            return keys;
        }
    }

    private record ObjectKey(ContentionKind kind, long ref, String label) {}

    private record ContainerKey(ContentionKind kind, String container) {}

    private record SideKey(ContentionKind kind, List<Frame> side) {}

    /** A conflict lacking a side, and what has been charged to it so far. */
    static final class Open {
        final Key key;
        final String label;
        final long thread;
        final long otherThread;
        final AccessKind victimAccess;
        List<Frame> victim;
        boolean victimAtEntry;
        List<Frame> other;
        final Site charges;

        Open(Key key, String label, long thread, long otherThread, List<Frame> victim, boolean victimAtEntry,
             List<Frame> other) {
            this.key = key;
            this.label = label;
            this.thread = thread;
            this.otherThread = otherThread;
            this.victimAccess = key.kind() == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ;
            this.victim = victim;
            this.victimAtEntry = victimAtEntry;
            this.other = other;
            this.charges = new Site(new SiteKey(SiteKey.kind(key.kind()), List.of(), List.of(), null, label));
        }

        boolean victimKnown() {
            return !victim.isEmpty() && !victimAtEntry;
        }

        /** Whether {@code site}, the thread's access of the object, is this conflict's victim access. */
        boolean completedBy(long ref, AccessKind access) {
            return !victimKnown() && key.ref() != 0 && key.ref() == ref && access == victimAccess;
        }
    }

    /** The figures of the conflicts that stayed incomplete, with what they lack. */
    private record Unresolved(Key key, String label, long thread, long otherThread, List<Frame> victim,
                              boolean victimAtEntry, List<Frame> other) {}

    private final Map<Object, Map<List<Frame>, long[]>> victims = new HashMap<>();
    private final Map<Object, Map<List<Frame>, long[]>> others = new HashMap<>();
    /** Per object, per thread: the latest read and write sites ({@link AccessKind} ordinal). */
    private final Map<Long, Map<Long, List<Frame>[]>> accesses = new HashMap<>();
    private final Map<Unresolved, Site> unresolved = new HashMap<>();
    /** Conflicts completed at the end from the other conflicts on their object. */
    long merged;

    /** A conflict whose victim site is known: it names the object's victim site. */
    void sawVictim(Key key, List<Frame> victim, long count) {
        tally(victims, key, victim, count);
    }

    /** A conflict whose other side is known. */
    void sawOther(Key key, List<Frame> other, long count) {
        tally(others, key, other, count);
    }

    @SuppressWarnings("unchecked")
    void accessSite(long ref, long thread, AccessKind access, List<Frame> frames) {
        if (frames.isEmpty()) return;
        accesses.computeIfAbsent(ref, r -> new HashMap<>())
                .computeIfAbsent(thread, t -> (List<Frame>[]) new List<?>[AccessKind.values().length])[access.ordinal()] = frames;
    }

    /** Keeps what an open conflict still lacks, with its figures, for {@link #resolve}. */
    Site keepUnresolved(Open o) {
        Site s = unresolved.computeIfAbsent(new Unresolved(o.key, o.label, o.thread, o.otherThread, o.victim,
                o.victimAtEntry, o.other), u -> new Site(o.charges.key));
        s.merge(o.charges);
        return s;
    }

    /**
     * At the end of the log: completes each unresolved conflict from the others on its object and
     * hands it to {@code charge} (victim, other side, label, figures), which files it under its site.
     */
    void resolve(Charge charge) {
        for (Map.Entry<Unresolved, Site> e : unresolved.entrySet()) {
            Unresolved u = e.getKey();
            Site figures = e.getValue();
            boolean fromOthers = false;
            List<Frame> victim = u.victim();
            if (victim.isEmpty() || u.victimAtEntry()) {
                List<Frame> v = mostCommon(victims, u.key());
                fromOthers = v != null;
                if (v == null) v = access(u.key().ref(), u.thread(), u.key().kind() == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ);
                if (v != null) victim = v;
            }
            List<Frame> other = u.other();
            if (other.isEmpty()) {
                // the other thread's write of the object, which the runtime asked for, else the others'
                List<Frame> o = u.otherThread() >= 0 ? access(u.key().ref(), u.otherThread(), AccessKind.WRITE) : null;
                if (o == null) {
                    o = mostCommon(others, u.key());
                    if (o == null) o = anyOtherWrite(u.key().ref(), u.thread());
                    fromOthers |= o != null;
                }
                if (o != null) other = o;
            }
            if (fromOthers) merged += figures.count;
            charge.charge(u.key().kind(), victim, other, u.label(), figures);
        }
        unresolved.clear();
    }

    /**
     * Copies this join's state into {@code into}, an empty join, for a snapshot that is resolved
     * at once ({@link FileAggregator#snapshot()}): the tallies and access sites are shared (the
     * copy only reads them, and is resolved before this join reads on), the conflicts still
     * unresolved copied with their figures through {@code copy}.
     */
    void copyInto(ConflictJoin into, java.util.function.UnaryOperator<Site> copy) {
        into.victims.putAll(victims);
        into.others.putAll(others);
        into.accesses.putAll(accesses);
        for (Map.Entry<Unresolved, Site> e : unresolved.entrySet()) into.unresolved.put(e.getKey(), copy.apply(e.getValue()));
        into.merged = merged;
    }

    @FunctionalInterface
    interface Charge {
        void charge(ContentionKind kind, List<Frame> victim, List<Frame> other, String label, Site figures);
    }

    private List<Frame> access(long ref, long thread, AccessKind access) {
        Map<Long, List<Frame>[]> byThread = accesses.get(ref);
        if (ref == 0 || byThread == null) return null;
        List<Frame>[] sites = byThread.get(thread);
        return sites == null ? null : sites[access.ordinal()];
    }

    /** Any thread's write site of the object but the victim's. */
    private List<Frame> anyOtherWrite(long ref, long victimThread) {
        Map<Long, List<Frame>[]> byThread = accesses.get(ref);
        if (ref == 0 || byThread == null) return null;
        List<Long> threads = new ArrayList<>(byThread.keySet());
        threads.sort(null); // deterministic
        for (long t : threads) {
            List<Frame>[] sites = byThread.get(t);
            if (t != victimThread && sites[AccessKind.WRITE.ordinal()] != null) return sites[AccessKind.WRITE.ordinal()];
        }
        return null;
    }

    private static void tally(Map<Object, Map<List<Frame>, long[]>> map, Key key, List<Frame> frames, long count) {
        for (Object k : key.joins()) {
            map.computeIfAbsent(k, x -> new HashMap<>()).computeIfAbsent(frames, f -> new long[1])[0] += count;
        }
    }

    /** The frames most named by the conflicts joined with {@code key}, best join first; null when none. */
    private static List<Frame> mostCommon(Map<Object, Map<List<Frame>, long[]>> map, Key key) {
        for (Object k : key.joins()) {
            List<Frame> best = mostCommon(map.get(k));
            if (best != null) return best;
        }
        return null;
    }

    /**
     * The frames named most often (ties: the first as text, so the result is deterministic);
     * null when none.
     */
    static List<Frame> mostCommon(Map<List<Frame>, long[]> counts) {
        if (counts == null) return null;
        List<Frame> best = null;
        long bestCount = -1;
        for (Map.Entry<List<Frame>, long[]> e : counts.entrySet()) {
            long c = e.getValue()[0];
            if (c > bestCount || (c == bestCount && e.getKey().toString().compareTo(best.toString()) < 0)) {
                best = e.getKey();
                bestCount = c;
            }
        }
        return best;
    }
}
