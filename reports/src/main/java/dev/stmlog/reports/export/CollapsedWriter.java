package dev.stmlog.reports.export;

import java.io.IOException;

/**
 * Brendan Gregg's folded stacks, which flamegraph.pl, speedscope and async-profiler's converter
 * read: one line per sample, {@code root;frame;...;leaf value}. A frame may contain spaces (the
 * value is after the last one) but not {@code ;} or a line break, which become {@code _}.
 * Samples with the same stack are written as one line.
 */
public final class CollapsedWriter {

    public void write(StackProfile profile, Appendable out) throws IOException {
        java.util.Map<String, long[]> lines = new java.util.LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        for (StackProfile.Sample s : profile.samples()) {
            b.setLength(0);
            for (StackProfile.Frame f : s.stack()) {
                if (b.length() > 0) b.append(';');
                b.append(clean(f.toString()));
            }
            lines.computeIfAbsent(b.toString(), k -> new long[1])[0] += s.nanos();
        }
        for (var e : lines.entrySet()) {
            out.append(e.getKey()).append(' ').append(Long.toString(e.getValue()[0])).append('\n');
        }
    }

    private static String clean(String frame) {
        StringBuilder b = new StringBuilder(frame.length());
        for (int i = 0; i < frame.length(); i++) {
            char c = frame.charAt(i);
            b.append(c == ';' || c == '\n' || c == '\r' ? '_' : c);
        }
        return b.toString();
    }
}
