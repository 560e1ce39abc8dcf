package dev.stmlog.analyzer.pypy;

import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PyPy marker into a one-frame {@link Stack}. A marker is PyPy's expansion of its location
 * (analyzer/docs/pypy-compatibility.md#markers): {@code File "F", line L, in N} in C7, with
 * {@code  (#B)} after it in C8, where the bytecode offset B is dropped (a frame has no place for
 * it, so markers that differ only in it share a frame) and a suffix cut short by the 159-byte
 * limit is dropped too.
 */
public final class PypyFrames {
    /**
     * The location of an inevitable transaction first seen at a REATTACH, which has no marker
     * (analyzer/docs/pypy-compatibility.md#q5).
     */
    public static final Stack REATTACHED = Stack.of(
            new Frame("(no location: re-attached inevitable transaction)", "", null, -1));

    private static final Pattern MARKER = Pattern.compile(
            "File \"(.+)\", line (\\d+), in (.+?)(?: \\(#\\d*\\)?)?");

    private PypyFrames() {}

    /** The stack for a marker: empty for an empty marker, one frame otherwise. */
    public static Stack stack(byte[] marker) {
        if (marker.length == 0) return Stack.EMPTY;
        return Stack.of(frame(marker));
    }

    /**
     * {@code Frame(className = file path, method = function, file = file path, line)}, or, for a
     * marker that is not in PyPy's format (the default expander writes 8 binary bytes), a frame
     * whose class name is the raw text.
     */
    public static Frame frame(byte[] marker) {
        String text = new String(marker, StandardCharsets.UTF_8);
        Matcher m = MARKER.matcher(text);
        if (m.matches()) {
            try {
                int line = Integer.parseInt(m.group(2));
                return new Frame(m.group(1), m.group(3), m.group(1), line);
            } catch (NumberFormatException e) {
                // a line number beyond int: keep the text whole rather than invent a number
            }
        }
        return new Frame(text, "", null, -1);
    }
}
