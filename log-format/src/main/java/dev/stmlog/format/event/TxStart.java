package dev.stmlog.format.event;

/** A transaction attempt began. Every attempt, including each retry, starts with one. */
public record TxStart(long time, long thread) implements Event {}
