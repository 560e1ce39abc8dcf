package dev.stmlog.format.event;

/**
 * The attempt that the thread's last {@link TxStart} opened was not timed from its start: the
 * recorder wrote the start only when something happened inside the attempt, placing it
 * {@code estimatedNanos} before this event by sampling (0 when no sample fell inside it). A
 * reader that wants per-attempt times can estimate the attempt's true length otherwise.
 */
public record UntimedStart(long time, long thread, long estimatedNanos) implements Event {}
