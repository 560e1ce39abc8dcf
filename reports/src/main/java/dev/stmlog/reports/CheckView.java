package dev.stmlog.reports;

import java.util.List;
import java.util.Map;

/** What an integrity check of some logs found. */
public record CheckView(List<FileCheck> files) implements View {

    public CheckView {
        files = List.copyOf(files);
    }

    public boolean isClean() {
        return files.stream().allMatch(FileCheck::isClean);
    }

    /**
     * One log.
     *
     * @param header         what the file says about itself, in order (writer, pid, command, ...)
     * @param trailerEvents  events the writer says it wrote, or -1 without a trailer
     */
    public record FileCheck(String file, long sizeBytes, Map<String, String> header, long chunks, long records,
                            long events, long unknownRecords, boolean cleanClose, long trailerEvents,
                            long unresolvedReferences, DamageView damage) {

        public FileCheck {
            header = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(header));
        }

        public boolean isClean() {
            return cleanClose && !damage.isDamaged() && damage.eventsLost() == 0 && unresolvedReferences == 0;
        }
    }
}
