package dev.stmlog.format;

import dev.stmlog.format.event.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's constant pools: strings, frames and stacks, each stored once and then
 * referred to by a dense id starting at 1 (0 means "none").
 *
 * <p>Definitions are appended to a pending buffer under a lock before their id is handed
 * out, and the flusher writes that buffer before any chunk it takes from the queue. A chunk
 * that uses an id was queued after the id existed, so every definition precedes its first use
 * in the file, which is what lets a reader stream.
 */
final class Pools {
    /** A pool chunk is cut at a record boundary once it passes this size. */
    private static final int SEGMENT = 1 << 20;

    private final ConcurrentHashMap<String, Integer> strings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Frame, Integer> frames = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<Frame>, Integer> stacks = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private final ByteSink pending = new ByteSink(4096);
    private final List<byte[]> fullSegments = new ArrayList<>();

    int string(String s) {
        Integer id = strings.get(s);
        return id != null ? id : defineString(s);
    }

    private int defineString(String s) {
        synchronized (lock) {
            Integer id = strings.get(s);
            if (id != null) return id;
            int newId = strings.size() + 1;
            pending.record(Format.STRING, r -> r.varint(newId).string(s));
            cutSegment();
            strings.put(s, newId);
            return newId;
        }
    }

    int frame(Frame f) {
        Integer id = frames.get(f);
        return id != null ? id : defineFrame(f);
    }

    private int defineFrame(Frame f) {
        int cls = string(f.className());
        int method = string(f.method());
        int file = f.file() == null ? 0 : string(f.file());
        synchronized (lock) {
            Integer id = frames.get(f);
            if (id != null) return id;
            int newId = frames.size() + 1;
            long line = f.line() < 0 ? 0 : f.line() + 1L;
            pending.record(Format.FRAME, r -> r.varint(newId).varint(cls).varint(method).varint(file).varint(line));
            cutSegment();
            frames.put(f, newId);
            return newId;
        }
    }

    int stack(List<Frame> stack) {
        if (stack.isEmpty()) return 0;
        Integer id = stacks.get(stack);
        return id != null ? id : defineStack(List.copyOf(stack));
    }

    private int defineStack(List<Frame> stack) {
        int[] frameIds = new int[stack.size()];
        for (int i = 0; i < frameIds.length; i++) frameIds[i] = frame(stack.get(i));
        synchronized (lock) {
            Integer id = stacks.get(stack);
            if (id != null) return id;
            int newId = stacks.size() + 1;
            pending.record(Format.STACK, r -> {
                r.varint(newId).varint(frameIds.length);
                for (int f : frameIds) r.varint(f);
            });
            cutSegment();
            stacks.put(stack, newId);
            return newId;
        }
    }

    private void cutSegment() {
        if (pending.length() >= SEGMENT) {
            fullSegments.add(pending.toByteArray());
            pending.reset();
        }
    }

    /** The definitions made since the last call, as chunk payloads; empty when there are none. */
    List<byte[]> drain() {
        synchronized (lock) {
            if (pending.length() == 0 && fullSegments.isEmpty()) return List.of();
            List<byte[]> out = new ArrayList<>(fullSegments);
            fullSegments.clear();
            if (pending.length() > 0) out.add(pending.toByteArray());
            pending.reset();
            return out;
        }
    }
}
