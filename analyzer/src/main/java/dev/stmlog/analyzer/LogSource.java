package dev.stmlog.analyzer;

import dev.stmlog.analyzer.pypy.C8Numbering;
import dev.stmlog.analyzer.pypy.PypyEventAdapter;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Every log the tool reads, whatever wrote it: stmlog's own format, or PyPy-STM's (C7, C8),
 * told apart by their first bytes. A PyPy log's events arrive mapped onto stmlog's event model,
 * so every verb gives both the same analysis.
 */
public final class LogSource {
    private LogSource() {}

    /**
     * How to read.
     *
     * @param pypyEvents the event numbering of C8 logs ({@code --pypy-events})
     * @param warn       receives one-line warnings, such as a suspected other numbering
     * @param decoders   threads that decode a stmlog log's chunks besides the reading one
     *                   ({@link LogReader#read(EventVisitor, int)}; 0: the reading thread alone).
     *                   Whatever it is, the visitor sees the same events in the same order.
     */
    public record Options(C8Numbering pypyEvents, Consumer<String> warn, int decoders) {
        public static final Options DEFAULTS = new Options(C8Numbering.FINAL, w -> { });

        /** With {@link LogReader#defaultDecoders()} decoders. */
        public Options(C8Numbering pypyEvents, Consumer<String> warn) {
            this(pypyEvents, warn, LogReader.defaultDecoders());
        }

        public Options withDecoders(int decoders) {
            return new Options(pypyEvents, warn, decoders);
        }
    }

    /**
     * Reads {@code file} to {@code visitor}, reporting bytes read to {@code progress}.
     *
     * @throws dev.stmlog.format.LogFormatException when the file is neither kind of log
     */
    public static ReadResult read(Path file, EventVisitor visitor, Options options, Progress progress) throws IOException {
        if (PypyGeneration.detect(file) != null) {
            return PypyEventAdapter.read(file, file.toString(), options.pypyEvents(), visitor, options.warn());
        }
        try (FileChannel ch = FileChannel.open(file);
             LogReader reader = LogReader.open(new CountingChannel(ch, file.toString(), progress), file.toString())) {
            return reader.read(visitor, options.decoders());
        }
    }
}
