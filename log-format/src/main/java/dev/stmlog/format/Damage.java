package dev.stmlog.format;

import java.util.List;

/**
 * What a reader found wrong with a log, and where.
 *
 * @param truncatedAt        the byte offset of the incomplete chunk (or header) at the end, or -1
 * @param bytesSkipped       bytes in damaged stretches that no valid chunk could be read from
 * @param damagedRegions     damaged stretches (each one or more chunks)
 * @param missingChunks      chunks known missing from gaps in the sequence numbers
 * @param malformedRecords   records that passed their chunk's CRC (or were in a cut chunk) but did
 *                           not decode; they were skipped
 * @param unresolvedReferences pool ids used but never defined (their definition was in lost data)
 * @param eventsLost         events the writer itself dropped, from its data-loss records
 * @param notes              one line per problem with its byte offset; at most 100, then a count
 */
public record Damage(long truncatedAt, long bytesSkipped, int damagedRegions, long missingChunks,
                     long malformedRecords, long unresolvedReferences, long eventsLost, List<String> notes) {

    public Damage {
        notes = List.copyOf(notes);
    }

    /** True when some of what was written could not be read back. */
    public boolean isDamaged() {
        return truncatedAt >= 0 || bytesSkipped > 0 || missingChunks > 0 || malformedRecords > 0
                || unresolvedReferences > 0;
    }
}
