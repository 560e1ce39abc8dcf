package dev.stmlog.format.event;

import java.util.List;

/** A call stack, innermost frame first. An empty stack means "not captured" or "unknown". */
public record Stack(List<Frame> frames) {

    public static final Stack EMPTY = new Stack(List.of());

    public Stack {
        frames = List.copyOf(frames);
    }

    public static Stack of(Frame... frames) {
        return new Stack(List.of(frames));
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The innermost frame; the stack must not be empty. */
    public Frame top() {
        return frames.get(0);
    }
}
