package dev.stmlog.reports;

import java.util.List;

/**
 * What could not be read back from the logs behind a report.
 *
 * @param truncated     some log ends early (a cut file, or no clean close)
 * @param bytesSkipped  bytes in damaged stretches that were skipped
 * @param eventsLost    events the writer said it dropped
 * @param missingChunks chunks known missing
 * @param malformedRecords records that did not decode and were skipped
 * @param notes         one line per problem, each naming its file and byte offset
 */
public record DamageView(boolean truncated, long bytesSkipped, long eventsLost, long missingChunks,
                         long malformedRecords, List<String> notes) {

    public static final DamageView NONE = new DamageView(false, 0, 0, 0, 0, List.of());

    public DamageView {
        notes = List.copyOf(notes);
    }

    public boolean isDamaged() {
        return truncated || bytesSkipped > 0 || missingChunks > 0 || malformedRecords > 0;
    }
}
