package dev.stmlog.format.event;

import java.util.Objects;

/**
 * One stack frame.
 *
 * @param file the source file name, or {@code null} when unknown
 * @param line the line number, or a negative number when unknown
 */
public record Frame(String className, String method, String file, int line) {

    public Frame {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(method, "method");
    }

    public static Frame of(StackTraceElement e) {
        return new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
    }

    /**
     * {@code pkg.Class.method(File.java:42)}, as {@link StackTraceElement#toString()} prints it;
     * a frame without a method (a function of another language, such as the agent's Clojure
     * frames {@code my.app/transfer}) as {@code my.app/transfer (bank.clj:12)}.
     */
    @Override
    public String toString() {
        String where;
        if (file == null) where = "Unknown Source";
        else if (line >= 0) where = file + ":" + line;
        else where = file;
        return method.isEmpty() ? className + " (" + where + ")" : className + "." + method + "(" + where + ")";
    }
}
