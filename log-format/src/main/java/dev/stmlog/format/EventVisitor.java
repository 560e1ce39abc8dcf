package dev.stmlog.format;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.WaitKind;

/**
 * Receives a log's events in file order (each thread's events in the order it wrote them).
 *
 * <p>Every event reaches {@link #event(Event)} unless a consumer overrides the primitive
 * methods of the frequent kinds, which the reader calls without allocating: a consumer that
 * aggregates millions of transactions overrides those and keeps its loop allocation-free.
 */
@FunctionalInterface
public interface EventVisitor {

    /**
     * Lets every event go, without allocating: for a reading done for its {@link ReadResult}
     * alone (counts, damage, the trailer), such as {@code stmlog check}'s.
     */
    EventVisitor IGNORE = new EventVisitor() {
        @Override
        public void event(Event e) {}

        @Override
        public void txStart(long time, long thread) {}

        @Override
        public void txCommit(long time, long thread) {}

        @Override
        public void txCommits(long time, long thread, long count, long busyNanos) {}

        @Override
        public void txAbort(long time, long thread, AbortCause cause) {}

        @Override
        public void waitBegin(long time, long thread, WaitKind kind) {}

        @Override
        public void waitEnd(long time, long thread, WaitKind kind) {}

        @Override
        public void contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                               Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                               ValueChange otherChange, long otherNanos) {}

        @Override
        public void mark(long time, long thread, String name, long value) {}
    };

    void event(Event e);

    /** The recording's metadata, before its first event (absent when its chunk was lost). */
    default void metadata(Metadata metadata) {}

    default void txStart(long time, long thread) {
        event(new TxStart(time, thread));
    }

    default void txCommit(long time, long thread) {
        event(new TxCommit(time, thread));
    }

    default void txCommits(long time, long thread, long count, long busyNanos) {
        event(new TxCommits(time, thread, count, busyNanos));
    }

    default void txAbort(long time, long thread, AbortCause cause) {
        event(new TxAbort(time, thread, cause));
    }

    default void waitBegin(long time, long thread, WaitKind kind) {
        event(new WaitBegin(time, thread, kind));
    }

    default void waitEnd(long time, long thread, WaitKind kind) {
        event(new WaitEnd(time, thread, kind));
    }

    /** A {@link Contention}'s fields; its stacks and label are the pools' own objects, not copies. */
    default void contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                            Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                            ValueChange otherChange, long otherNanos) {
        event(new Contention(time, thread, kind, otherThread, victimStack, otherStack, readStack, label, ref,
                victimAtEntry, otherChange, otherNanos));
    }

    /** A {@link UserMark}'s fields. */
    default void mark(long time, long thread, String name, long value) {
        event(new UserMark(time, thread, name, value));
    }
}
