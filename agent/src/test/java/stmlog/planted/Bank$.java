package stmlog.planted;

import java.util.function.Function;

/** {@code object Bank { val total = Ref(0) }} as scalac compiles it: a class Bank$ with its instance in MODULE$. */
public final class Bank$ {
    public static final Bank$ MODULE$ = new Bank$();
    private final Object total = new Object();

    private Bank$() {
    }

    public String labelOfTotal(Function<Object, String> labeler) {
        return labeler.apply(total);
    }
}
