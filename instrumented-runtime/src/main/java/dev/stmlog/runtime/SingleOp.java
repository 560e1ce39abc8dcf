package dev.stmlog.runtime;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The body of a single-operation transaction (a Ref write outside {@link Stm#atomic}).
 * One instance per thread, reused, so that these calls allocate no lambda.
 */
final class SingleOp implements Supplier<Object> {

    static final int SET = 0;
    static final int GET_AND_SET = 1;
    static final int UPDATE_AND_GET = 2;
    static final int GET_AND_UPDATE = 3;
    static final int COMMUTE = 4;

    private final Txn tx;
    int op;
    Ref<?> ref;
    Object arg;

    SingleOp(Txn tx) {
        this.tx = tx;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object get() {
        // Copy to locals: user functions may run nested operations (they join this transaction
        // and never touch these fields, but the locals make that obviously safe).
        Ref<?> r = ref;
        Object a = arg;
        switch (op) {
            case SET:
                tx.write(r, a);
                return null;
            case GET_AND_SET: {
                Object old = tx.read(r);
                tx.write(r, a);
                return old;
            }
            case UPDATE_AND_GET: {
                Object next = ((UnaryOperator<Object>) a).apply(tx.read(r));
                tx.write(r, next);
                return next;
            }
            case GET_AND_UPDATE: {
                Object old = tx.read(r);
                tx.write(r, ((UnaryOperator<Object>) a).apply(old));
                return old;
            }
            case COMMUTE:
                tx.commute(r, (UnaryOperator<Object>) a);
                return null;
            default:
                throw new IllegalStateException("unknown op " + op);
        }
    }
}
