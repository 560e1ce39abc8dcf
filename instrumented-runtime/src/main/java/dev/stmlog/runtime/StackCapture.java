package dev.stmlog.runtime;

import dev.stmlog.format.event.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * Captures the user's frames of the current stack: the runtime's own frames (classes of
 * package {@code dev.stmlog.runtime} itself, not its subpackages) are dropped wherever they
 * are, and so are JDK frames above the first user frame (lambda and stream plumbing, the
 * queue's worker loop). Hidden frames (lambda forms, reflection) are never shown by
 * {@link StackWalker}. Capturing costs microseconds: callers do it only where conflicts happen.
 */
final class StackCapture {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String RUNTIME_PACKAGE = "dev.stmlog.runtime";

    private StackCapture() {}

    static List<Frame> capture(int depth) {
        return WALKER.walk(frames -> {
            List<Frame> out = new ArrayList<>(depth);
            frames.filter(f -> !isRuntime(f.getClassName()))
                    .dropWhile(f -> isJdk(f.getClassName()))
                    .limit(depth)
                    .forEach(f -> out.add(new Frame(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber())));
            return out;
        });
    }

    static boolean isRuntime(String className) {
        int lastDot = className.lastIndexOf('.');
        return lastDot == RUNTIME_PACKAGE.length() && className.startsWith(RUNTIME_PACKAGE);
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
