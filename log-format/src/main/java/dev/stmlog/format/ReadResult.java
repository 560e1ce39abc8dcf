package dev.stmlog.format;

import dev.stmlog.format.event.Metadata;

/**
 * What reading a log produced, besides the events themselves.
 *
 * @param metadata the recording's metadata, or null when its chunk was lost
 * @param trailer  the clean-close record, or null when the writer did not close the file
 */
public record ReadResult(String name, String writerVersion, Metadata metadata, long chunks, long records,
                         long events, long unknownRecords, Trailer trailer, Damage damage) {

    public boolean cleanClose() {
        return trailer != null;
    }
}
