package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.ReadResult;
import dev.stmlog.reports.CheckView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The integrity check of a log ({@code stmlog check}): read through without analysing, what
 * the file says about itself (format, writer, the source's details), how much it holds, and
 * what of it was lost, described as {@link Analysis#damage()} describes it.
 */
public final class LogCheck {
    private LogCheck() {}

    /**
     * Reads {@code file} through and describes it.
     *
     * @throws LogFormatException when it is not a log at all
     * @throws IOException        when it cannot be read
     */
    public static CheckView.FileCheck of(Path file, LogSource.Options options) throws IOException {
        long size = Files.size(file);
        LogSource source = LogSources.of(file);
        ReadResult r = source.read(file, EventVisitor.IGNORE, options, Progress.NONE);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", source.format(r));
        header.put("writer", r.writerVersion().isEmpty() ? "(unknown)" : r.writerVersion());
        header.putAll(source.details(r));
        return new CheckView.FileCheck(file.toString(), size, header, r.chunks(), r.records(), r.events(),
                r.unknownRecords(), r.cleanClose(), r.trailer() == null ? -1 : r.trailer().eventsWritten(),
                r.damage().unresolvedReferences(), Analysis.damage(r.damage()));
    }
}
