package dev.stmlog.agent.scalastm;

import dev.stmlog.agent.StackStyle;
import dev.stmlog.format.event.Frame;

/**
 * ScalaSTM's stacks: its own frames ({@code scala.concurrent.stm}, the Java API
 * {@code japi.STM} included) and Scala's function adapters ({@code scala.runtime}, through which
 * an {@code atomic} block's lambda is called) are dropped, so that the first frame is the
 * program's line that read or wrote the ref. Frames are shown as the JVM names them (a Scala
 * block as {@code my.App.$anonfun$transfer$1(App.scala:12)}).
 */
final class ScalaStmFrames {
    static final StackStyle STYLE = new StackStyle() {
        @Override
        public boolean isInternal(String className) {
            return className.startsWith("scala.concurrent.stm.") || className.startsWith("scala.runtime.");
        }

        @Override
        public Frame frame(String className, String method, String file, int line) {
            return new Frame(className, method, file, line);
        }
    };

    private ScalaStmFrames() {
    }
}
