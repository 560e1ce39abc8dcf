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
                    .limit(depth)
                    .forEach(f -> out.add(style.frame(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber())));
            return out;
        });
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
