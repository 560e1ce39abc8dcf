package dev.stmlog.format.event;

/** The writer dropped {@code count} events (size cap reached, I/O failure, or overload). */
public record DataLoss(long time, long thread, long count) implements Event {}
