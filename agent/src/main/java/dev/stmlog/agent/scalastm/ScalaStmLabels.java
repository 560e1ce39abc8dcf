package dev.stmlog.agent.scalastm;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A ScalaSTM ref's label, taken once, at its first recorded conflict: the static field that
 * holds it ({@code static final Ref.View<Integer> counter} of {@code my.App} gives
 * {@code my.App.counter}), or the field of a Scala {@code object} that does ({@code object Bank
 * { val total = Ref(0) }} gives {@code Bank.total}), looked for in the classes of the program's
 * frames on the current stack (the victim's, or the stealer's); else none (the log names it by
 * its id). ScalaSTM's refs carry no name of their own, so nothing else is derivable.
 */
final class ScalaStmLabels {
    /** Classes of the stack looked at, at most: the innermost are the ones that use the ref. */
    private static final int CLASSES = 8;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private ScalaStmLabels() {
    }

    static String label(Object ref) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        WALKER.forEach(f -> {
            Class<?> c = f.getDeclaringClass();
            if (classes.size() < CLASSES && isProgram(c.getName())) classes.add(c);
        });
        for (Class<?> c : classes) {
            String name = heldBy(c, ref);
            if (name != null) return name;
        }
        return null;
    }

    private static boolean isProgram(String name) {
        return !(name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("scala.") || name.startsWith("dev.stmlog.agent."));
    }

    /** {@code Class.field} when a static field of {@code c}, or a field of its Scala object, holds {@code ref}. */
    private static String heldBy(Class<?> c, Object ref) {
        Object module = null;
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) continue;
            Object v = value(f, null);
            if (v == ref) return c.getName() + "." + f.getName();
            if (f.getName().equals("MODULE$")) module = v;
        }
        // A Scala object's code runs in its class Name$ (Name's static methods forward to it), so
        // its frames are on the stack; Name$ is never loaded here, which could initialize it.
        if (module == null) return null;
        String objectName = c.getName().endsWith("$") ? c.getName().substring(0, c.getName().length() - 1) : c.getName();
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) continue;
            if (value(f, module) == ref) return objectName + "." + f.getName();
        }
        return null;
    }

    private static Object value(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
