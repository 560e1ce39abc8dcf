package dev.stmlog.agent.clojure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A Clojure ref's label, taken at its first recorded conflict: its {@code :stmlog/label}
 * metadata ({@code (ref 0 :meta {:stmlog/label "accounts"})}), else the var that holds it
 * ({@code (def counter (ref 0))} gives {@code my.app/counter}), else none (the log then names it
 * by its id). Read by reflection from the program's own Clojure, which the agent does not link to.
 * The vars are indexed at most once a second, so that a program with many contended refs that
 * no var holds does not scan its namespaces at each.
 */
final class ClojureLabels {
    private static final long REINDEX_NANOS = 1_000_000_000L;
    private static Map<Object, String> vars = new IdentityHashMap<>();
    private static long indexedAt;
    private static boolean indexed;

    private ClojureLabels() {
    }

    static String label(Object ref) {
        try {
            String meta = metadataLabel(ref);
            return meta != null ? meta : varName(ref);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String metadataLabel(Object ref) throws ReflectiveOperationException {
        ClassLoader l = ref.getClass().getClassLoader();
        Object meta = ref.getClass().getMethod("meta").invoke(ref);
        if (meta == null) return null;
        Object key = Class.forName("clojure.lang.Keyword", false, l).getMethod("intern", String.class, String.class)
                .invoke(null, "stmlog", "label");
        Object v = Class.forName("clojure.lang.ILookup", false, l).getMethod("valAt", Object.class).invoke(meta, key);
        if (v == null) return null;
        String s = v.toString();
        return s.startsWith(":") ? s.substring(1) : s;
    }

    private static synchronized String varName(Object ref) throws ReflectiveOperationException {
        String name = vars.get(ref);
        if (name != null) return name;
        long now = System.nanoTime();
        if (indexed && now - indexedAt < REINDEX_NANOS) return null;
        indexed = true;
        indexedAt = now;
        vars = index(ref.getClass().getClassLoader(), ref.getClass());
        return vars.get(ref);
    }

    /** Every var of the program's namespaces (not clojure.*) whose root is a ref, by ref. */
    private static Map<Object, String> index(ClassLoader l, Class<?> refClass) throws ReflectiveOperationException {
        Map<Object, String> out = new IdentityHashMap<>();
        Class<?> namespace = Class.forName("clojure.lang.Namespace", false, l);
        Class<?> seqClass = Class.forName("clojure.lang.ISeq", false, l);
        Class<?> varClass = Class.forName("clojure.lang.Var", false, l);
        Method first = seqClass.getMethod("first");
        Method next = seqClass.getMethod("next");
        Method mappings = namespace.getMethod("getMappings");
        Method root = varClass.getMethod("getRawRoot");
        Field varNs = varClass.getField("ns");
        Field varSym = varClass.getField("sym");
        for (Object seq = namespace.getMethod("all").invoke(null); seq != null; seq = next.invoke(seq)) {
            Object ns = first.invoke(seq);
            String nsName = String.valueOf(ns);
            if (nsName.startsWith("clojure.")) continue;
            Object map = mappings.invoke(ns);
            if (!(map instanceof Iterable<?> entries)) continue;
            for (Object e : entries) {
                if (!(e instanceof Map.Entry<?, ?> entry) || !varClass.isInstance(entry.getValue())) continue;
                Object var = entry.getValue();
                if (varNs.get(var) != ns) continue; // referred from another namespace
                Object value = root.invoke(var);
                if (refClass.isInstance(value)) out.putIfAbsent(value, nsName + "/" + varSym.get(var));
            }
        }
        return out;
    }
}
