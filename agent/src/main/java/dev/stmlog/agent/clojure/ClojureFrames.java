package dev.stmlog.agent.clojure;

import dev.stmlog.agent.StackStyle;
import dev.stmlog.format.event.Frame;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Clojure's frames as a Clojure programmer reads them: {@code my.app$transfer$fn__123.invoke
 * (bank.clj:12)} becomes {@code my.app/transfer/fn (bank.clj:12)}, the class name demunged by
 * Clojure's own {@code clojure.lang.Compiler.demunge} and the gensym's number dropped (it changes
 * with every compilation, so that the same line would be a new site). Clojure's runtime
 * ({@code clojure.lang}) and core functions ({@code clojure.core/alter}...) are dropped: the first
 * frame is the user's line that called {@code alter}, {@code deref} or {@code ensure}.
 */
final class ClojureFrames {
    static final StackStyle STYLE = new Style();

    private static final Pattern GENSYM = Pattern.compile("--\\d+");
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();
    /** Clojure's {@code Compiler.demunge}, from the class loader that loaded Clojure. */
    private static volatile MethodHandle demunge;
    private static volatile ClassLoader clojureLoader;

    private ClojureFrames() {
    }

    /** The loader of {@code clojure.lang.LockingTransaction}, at its transformation. */
    static void clojureLoadedBy(ClassLoader loader) {
        if (clojureLoader == null) clojureLoader = loader;
    }

    private static final class Style implements StackStyle {
        @Override
        public boolean isInternal(String className) {
            return className.startsWith("clojure.lang.") || className.startsWith("clojure.core$");
        }

        @Override
        public Frame frame(String className, String method, String file, int line) {
            if (file == null || !(file.endsWith(".clj") || file.endsWith(".cljc"))) {
                return new Frame(className, method, file, line);
            }
            return new Frame(NAMES.computeIfAbsent(className, ClojureFrames::name), "", file, line);
        }
    }

    /** {@code my.app$transfer$fn__123} as {@code my.app/transfer/fn}. */
    static String name(String className) {
        return GENSYM.matcher(demunge(className)).replaceAll("");
    }

    private static String demunge(String className) {
        MethodHandle m = demunge;
        if (m == null) {
            try {
                ClassLoader l = clojureLoader;
                Class<?> compiler = Class.forName("clojure.lang.Compiler", false, l == null ? ClassLoader.getSystemClassLoader() : l);
                m = MethodHandles.publicLookup().findStatic(compiler, "demunge", MethodType.methodType(String.class, String.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                m = MethodHandles.dropArguments(MethodHandles.constant(String.class, ""), 0, String.class);
            }
            demunge = m;
        }
        try {
            String s = (String) m.invokeExact(className);
            return s == null || s.isEmpty() ? simpleDemunge(className) : s;
        } catch (Throwable e) {
            return simpleDemunge(className);
        }
    }

    /** Clojure's munged characters (its {@code Compiler.CHAR_MAP}), for {@link #simpleDemunge}. */
    private static final String[][] MUNGED = {
        {"_QMARK_", "?"}, {"_BANG_", "!"}, {"_STAR_", "*"}, {"_PLUS_", "+"}, {"_GT_", ">"}, {"_LT_", "<"},
        {"_EQ_", "="}, {"_SLASH_", "/"}, {"_PERCENT_", "%"}, {"_AMPERSAND_", "&"}, {"_SINGLEQUOTE_", "'"},
        {"_COLON_", ":"}, {"_CARET_", "^"}, {"_BAR_", "|"}, {"_SHARP_", "#"}, {"_TILDE_", "~"}, {"_AT_", "@"},
        {"_LBRACE_", "{"}, {"_RBRACE_", "}"}, {"_LBRACK_", "["}, {"_RBRACK_", "]"}, {"_DOUBLEQUOTE_", "\""},
        {"_BSLASH_", "\\"}, {"_DOT_", "."}
    };

    /**
     * When Clojure's own cannot be had (its classes not reachable): {@code $} as {@code /}, the
     * munged characters back, and the remaining {@code _} as {@code -}.
     */
    static String simpleDemunge(String className) {
        String s = className.replace('$', '/');
        for (String[] m : MUNGED) s = s.replace(m[0], m[1]);
        return s.replace('_', '-');
    }
}
