package dev.stmlog.format;

/**
 * What a closed {@link LogWriter} wrote.
 *
 * @param stopReason why recording stopped before close (size cap, I/O failure), or null
 */
public record WriteSummary(String name, long eventsWritten, long eventsLost, long bytesWritten, String stopReason) {}
