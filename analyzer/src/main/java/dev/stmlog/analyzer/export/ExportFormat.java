package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.format.ReadResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One format of {@code stmlog export}: reads the logs and writes them for another tool. Every
 * format is listed in {@link ExportFormats}; adding one is a class implementing this and a line
 * there.
 */
public interface ExportFormat {

    /** The {@code --to} value: {@code trace}, {@code collapsed}, ... */
    String name();

    /** One line for {@code --help}: what the output is and what opens it. */
    String description();

    /**
     * Reads {@code files} (with the window and thread of {@code options}) and writes them to
     * {@code out}. Damage does not stop it: the results say what each log lost.
     *
     * @param options what to export: the window and thread filters of {@code top}
     * @param settings the format's own choices ({@link Settings})
     */
    List<ReadResult> write(List<Path> files, AnalysisOptions options, Settings settings, LogSource.Options source,
                           Progress progress, Appendable out) throws IOException;

    /**
     * What the command line can change about an export.
     *
     * @param otherSide the other side of each conflict as a pseudo-frame above the victim's line
     *                  (the stack formats)
     */
    record Settings(boolean otherSide) {
        public static final Settings DEFAULTS = new Settings(false);
    }
}
