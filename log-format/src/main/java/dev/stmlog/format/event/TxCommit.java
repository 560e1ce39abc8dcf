package dev.stmlog.format.event;

/** The thread's current transaction attempt committed. */
public record TxCommit(long time, long thread) implements Event {}
