package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;

import java.util.List;

/** The STM runtime's own frames at the top of a recorded stack, which no site is named after. */
public final class RuntimeFrames {
    private RuntimeFrames() {}

    static final String PACKAGE = "dev.stmlog.runtime.";

    /** The index of the first frame outside the runtime; 0 when every frame is the runtime's. */
    public static int firstUserFrame(List<Frame> frames) {
        int first = 0;
        while (first < frames.size() && frames.get(first).className().startsWith(PACKAGE)) first++;
        return first == frames.size() ? 0 : first;
    }
}
