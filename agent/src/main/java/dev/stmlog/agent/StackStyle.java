package dev.stmlog.agent;

import dev.stmlog.format.event.Frame;

/**
 * How one STM's stacks are captured: which frames are its own machinery (dropped wherever they
 * are, as the runtime drops its own), and how a frame is shown (a Clojure function's class
 * {@code my.app$transfer} as {@code my.app/transfer}).
 */
public interface StackStyle {

    /** Whether a frame of {@code className} belongs to the STM or its language's core, not to the user. */
    boolean isInternal(String className);

    /** The frame as the log records it. */
    Frame frame(String className, String method, String file, int line);

    /** Frames shown as the JVM names them; only the agent's own and the JDK's are dropped. */
    StackStyle JAVA = new StackStyle() {
        @Override
        public boolean isInternal(String className) {
            return false;
        }

        @Override
        public Frame frame(String className, String method, String file, int line) {
            return new Frame(className, method, file, line);
        }
    };
}
