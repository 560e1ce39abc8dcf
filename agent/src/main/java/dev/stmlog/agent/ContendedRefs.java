package dev.stmlog.agent;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The objects that have been in a recorded conflict, by identity, weakly: a Ref the program
 * drops is not kept. Until the first conflict, {@link #any} is false and the accesses' advice is
 * not even there ({@link AccessHooks}).
 */
public final class ContendedRefs {
    private static final ConcurrentHashMap<Object, RefInfo> MAP = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * Some object has been contended. Read only on rare paths: the accesses' advice, which would
     * test it at each access, is added at the first conflict ({@link AccessHooks}).
     */
    static volatile boolean any;
    /**
     * Some contended object's conflict lacks its other side: writes look their object up. Only
     * while some object wants it ({@link #WANTED} counts them), so that writes after the first
     * conflicts do not all pay a look-up.
     */
    static volatile boolean anyWanted;
    private static final AtomicLong WANTED = new AtomicLong();

    private ContendedRefs() {
    }

    /** Whether any object has been contended yet. */
    public static boolean any() {
        return any;
    }

    /** The object's info, null when it has never been in a recorded conflict. */
    public static RefInfo find(Object ref) {
        if (!any() || ref == null) return null;
        return MAP.get(new Lookup(ref));
    }

    /** The object's info, made (with its label, from {@code labeler}) at its first conflict. */
    public static RefInfo contended(Object ref, Function<Object, String> labeler) {
        RefInfo info = MAP.get(new Lookup(ref));
        if (info != null) return info;
        expunge();
        String label = null;
        try {
            label = labeler.apply(ref);
        } catch (RuntimeException | LinkageError e) {
            // no label: the log names the object by its id
        }
        int labelId = label == null ? 0 : Recording.log().string(label);
        synchronized (MAP) { // two first conflicts at once must not give it two ids
            info = MAP.get(new Lookup(ref));
            if (info == null) {
                info = new RefInfo(IDS.incrementAndGet(), label, labelId);
                MAP.put(new Key(ref, GONE), info);
            }
        }
        if (!any) switchOn();
        return info;
    }

    private static synchronized void switchOn() {
        if (any) return;
        any = true;
        AccessHooks.want();
    }

    /** {@code delta} objects more (or fewer) want their next write's site. */
    static synchronized void wanted(int delta) {
        anyWanted = WANTED.addAndGet(delta) > 0;
    }

    private static void expunge() {
        for (Object k; (k = GONE.poll()) != null; ) MAP.remove(k);
    }

    /** The map's key: the object, weakly, compared by identity. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object ref, ReferenceQueue<Object> queue) {
            super(ref, queue);
            hash = System.identityHashCode(ref);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            Object mine = get();
            if (mine == null) return false;
            if (o instanceof Key k) return k.get() == mine;
            return o instanceof Lookup l && l.ref == mine;
        }
    }

    /** A lookup's key, never stored. */
    private static final class Lookup {
        final Object ref;

        Lookup(Object ref) {
            this.ref = ref;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(ref);
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            if (o instanceof Key k) return k.get() == ref;
            return o instanceof Lookup l && l.ref == ref;
        }
    }
}
