package dev.stmlog.format;

/** A chunk payload waiting for the flusher: {@code bytes[from, to)} of one thread's records. */
record PendingChunk(long thread, long baseTime, byte[] bytes, int from, int to) {
    int length() {
        return to - from;
    }
}
