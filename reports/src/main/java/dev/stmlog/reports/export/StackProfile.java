package dev.stmlog.reports.export;

import java.util.List;
import java.util.Objects;

/**
 * Time by stack, the model behind flame graphs: what the collapsed-stacks and speedscope
 * exports (and the HTML report's flame graph) draw.
 *
 * @param name    what the profile covers (all threads, or one thread)
 * @param samples stacks with the nanoseconds charged to them; a stack may appear more than once
 */
public record StackProfile(String name, List<StackProfile.Sample> samples) {

    public StackProfile {
        Objects.requireNonNull(name, "name");
        samples = List.copyOf(samples);
    }

    /** The nanoseconds of all samples. */
    public long totalNanos() {
        long sum = 0;
        for (Sample s : samples) sum += s.nanos();
        return sum;
    }

    /**
     * One stack and its time.
     *
     * @param stack root first (a pseudo-frame for the conflict's kind), the victim's line last,
     *              or the other side's pseudo-frame after it
     */
    public record Sample(List<Frame> stack, long nanos) {
        public Sample {
            stack = List.copyOf(stack);
            if (stack.isEmpty()) throw new IllegalArgumentException("empty stack");
            if (nanos < 0) throw new IllegalArgumentException("negative time");
        }
    }

    /**
     * One frame: a method with its file and line when known, or a pseudo-frame (file null)
     * such as the conflict's kind.
     */
    public record Frame(String name, String file, int line) {
        public Frame {
            Objects.requireNonNull(name, "name");
        }

        public static Frame pseudo(String name) {
            return new Frame(name, null, -1);
        }

        /** As a stack trace prints it: {@code name(File.java:42)}, or the name alone. */
        @Override
        public String toString() {
            if (file == null) return name;
            return name + "(" + file + (line >= 0 ? ":" + line : "") + ")";
        }
    }
}
