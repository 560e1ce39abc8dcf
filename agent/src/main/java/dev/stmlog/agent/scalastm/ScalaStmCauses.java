package dev.stmlog.agent.scalastm;

import java.lang.reflect.Method;

/**
 * Reads ScalaSTM's rollback causes and handles by reflection, from the program's own ScalaSTM,
 * which the agent does not link to. Only called where a rollback is recorded, never on an
 * access: each look-up costs a reflective call.
 */
final class ScalaStmCauses {
    private static final String UNCAUGHT = "scala.concurrent.stm.Txn$UncaughtExceptionCause";
    private static final String MEMBER_UNCAUGHT = "scala.concurrent.stm.CommitBarrier$MemberUncaughtExceptionCause";
    private static final String TRANSIENT = "scala.concurrent.stm.Txn$TransientRollbackCause";
    private static final String ROLLED_BACK = "scala.concurrent.stm.Txn$RolledBack";

    private static final ClassValue<Method> CATEGORY = method("category");
    private static final ClassValue<Method> TRIGGER = method("trigger");
    private static final ClassValue<Method> NAME = method("name");
    private static final ClassValue<Method> IS_EMPTY = method("isEmpty");
    private static final ClassValue<Method> GET = method("get");
    private static final ClassValue<Method> BASE = method("base");
    private static final ClassValue<Method> TXN = method("txn");
    private static final ClassValue<Method> CAUSE = method("cause");

    /** CCSTM's Ref classes ({@code CCSTMRefs$GenericRef}...), whose {@code base()} is themselves: no call needed. */
    private static final ClassValue<Boolean> OWN_BASE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("scala.concurrent.stm.ccstm.CCSTMRefs$BaseRef")) return true;
            }
            return false;
        }
    };

    private ScalaStmCauses() {
    }

    private static ClassValue<Method> method(String name) {
        return new ClassValue<>() {
            @Override
            protected Method computeValue(Class<?> type) {
                try {
                    return type.getMethod(name);
                } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
                    return null;
                }
            }
        };
    }

    /** {@code target.name()}, or null when it has no such public method or it fails. */
    private static Object call(ClassValue<Method> method, Object target) {
        if (target == null) return null;
        Method m = method.get(target.getClass());
        if (m == null) return null;
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    static boolean isOptimistic(Object cause) {
        return cause != null && cause.getClass().getName().equals(ScalaStm.OPTIMISTIC);
    }

    /** An {@code OptimisticFailureCause}'s category name ({@code stale_read}...), null if unreadable. */
    static String category(Object cause) {
        Object symbol = call(CATEGORY, cause);
        Object name = call(NAME, symbol);
        return name instanceof String s ? s : null;
    }

    /** An {@code OptimisticFailureCause}'s trigger (the option's value), null for none. */
    static Object trigger(Object cause) {
        Object option = call(TRIGGER, cause);
        if (option == null || Boolean.TRUE.equals(call(IS_EMPTY, option))) return null;
        return call(GET, option);
    }

    /**
     * The object a trigger names, as the log's ref: a {@code Ref} ({@code CCSTMRefs.BaseRef} is its
     * own handle, its {@code base()} itself), or the object holding a handle's value (a
     * {@code TArray}'s elements are handles made on each access, all with the array as their base).
     * Null for a trigger that is no handle (an exception, for a partial-rollback restart).
     */
    static Object refOf(Object trigger) {
        if (trigger == null || !isHandle(trigger.getClass())) return null;
        Object base = call(BASE, trigger);
        return base != null ? base : trigger;
    }

    /** The key of a handle's ref on an access: the handle itself when it is a Ref (the common case). */
    static Object accessedRef(Object handle) {
        if (handle == null || OWN_BASE.get(handle.getClass())) return handle;
        Object base = call(BASE, handle);
        return base != null ? base : handle;
    }

    /** A level's transaction ({@code TxnLevelImpl.txn()}, a thread's {@code InTxnImpl}). */
    static Object txnOf(Object level) {
        return call(TXN, level);
    }

    static boolean isUncaughtException(Object cause) {
        String n = cause == null ? "" : cause.getClass().getName();
        return n.equals(UNCAUGHT) || n.equals(MEMBER_UNCAUGHT);
    }

    /** A cause after which ScalaSTM runs the block again ({@code Txn.TransientRollbackCause}). */
    static boolean isTransient(Object cause) {
        for (Class<?> c = cause == null ? null : cause.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(TRANSIENT)) return true;
        }
        return false;
    }

    /** Whether {@code status}, returned by {@code requestRollback(cause)}, says the rollback took. */
    static boolean rolledBackWith(Object status, Object cause) {
        return status != null && status.getClass().getName().equals(ROLLED_BACK) && call(CAUSE, status) == cause;
    }

    /** The simple name of a cause's class, for the marks that name causes of no contention. */
    static String name(Object cause) {
        String n = cause.getClass().getName();
        return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
    }

    private static boolean isHandle(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ScalaStm.HANDLE)) return true;
        }
        return false;
    }
}
