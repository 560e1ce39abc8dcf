package dev.stmlog.agent;

import dev.stmlog.format.event.Frame;


import java.util.ArrayList;
import java.util.List;

/**
 * Captures the user's frames of the current stack, as the instrumented runtime's
 * {@code StackCapture} does: the agent's own frames and the STM's (its {@link StackStyle}) are
 * dropped wherever they are, and so are JDK frames above the first user frame. A walk costs
 * microseconds: callers take stacks only where conflicts are, within {@link ThreadRecord}'s
 * time budget.
 */
final class Stacks {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String AGENT_PACKAGE = "dev.stmlog.agent.";

    private Stacks() {
    }

    static List<Frame> capture(StackStyle style, int depth) {
        return WALKER.walk(frames -> {
            List<Frame> out = new ArrayList<>(depth);
            frames.filter(f -> !f.getClassName().startsWith(AGENT_PACKAGE) && !style.isInternal(f.getClassName()))
                    .dropWhile(f -> isJdk(f.getClassName()))
                    .map(f -> style.frame(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()))
                    .filter(f -> out.isEmpty() || !sameFunction(out.get(out.size() - 1), f))
                    .limit(depth)
                    .forEach(out::add);
            return out;
        });
    }

    /**
     * A frame of the same function as the one before it, as a style without methods shows them:
     * Clojure calls a function's {@code invokeStatic} from its {@code invoke}, one frame each.
     */
    private static boolean sameFunction(Frame before, Frame f) {
        return f.method().isEmpty() && before.method().isEmpty() && before.className().equals(f.className())
                && java.util.Objects.equals(before.file(), f.file());
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
