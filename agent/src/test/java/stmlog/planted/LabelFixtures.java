package stmlog.planted;

import java.util.function.Function;

/**
 * Refs held the ways a program holds them, for the ScalaSTM labels' test: a static field of a
 * Java class, and (in {@link Bank$}) a field of a Scala {@code object} as scalac compiles one.
 * Each asks for a label from a method of the class that holds the ref, as a conflict met in that
 * class's code would. Not in a {@code dev.stmlog.agent} package: the agent ignores its own frames.
 */
public final class LabelFixtures {
    private static final Object COUNTER = new Object();

    private LabelFixtures() {
    }

    public static String labelOfCounter(Function<Object, String> labeler) {
        return labeler.apply(COUNTER);
    }

    public static String labelOfUnheld(Function<Object, String> labeler) {
        return labeler.apply(new Object());
    }
}
