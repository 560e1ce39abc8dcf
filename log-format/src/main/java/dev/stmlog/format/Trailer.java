package dev.stmlog.format;

/** The clean-close record: what the writer says it wrote. */
public record Trailer(long chunksBefore, long eventsWritten, long eventsLost, long endTime) {}
