package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One format of log the tool reads: it recognises its files by their first bytes, reads them
 * into an {@link EventVisitor} (the events of stmlog's own model, so every verb gives every
 * format the same analysis), and says what {@code check} should print about them. The formats
 * are listed in {@link LogSources}; adding one is a class implementing this and a line there.
 */
public interface LogSource {
    /** Bytes of a file's start that {@link #accepts} is given (fewer when the file is shorter). */
    int HEADER_BYTES = 64;

    /** Short name, for messages and tests: {@code stmlog}, {@code pypy}. */
    String name();

    /** True when {@code start}, the first bytes of a file, is how this format's files begin. */
    boolean accepts(byte[] start);

    /**
     * Reads {@code file} to {@code visitor}, reporting bytes read to {@code progress} when the
     * format allows. Damage does not stop the reading: it is described in the result.
     *
     * @throws dev.stmlog.format.LogFormatException when the file cannot be read as this format
     *                                              at all (one line naming the file and offset)
     */
    ReadResult read(Path file, EventVisitor visitor, Options options, Progress progress) throws IOException;

    /** The {@code format} line of {@code check} for a log this source read, e.g. {@code stmlog version 1}. */
    String format(ReadResult r);

    /**
     * What {@code check} prints about the recording after the {@code format} and {@code writer}
     * lines, in order: only what this format records.
     */
    Map<String, String> details(ReadResult r);

    /** The settings this source takes ({@link Options#settings()}); the command line offers each as an option. */
    default List<Setting> settings() {
        return List.of();
    }

    /**
     * A setting of one source, such as the event numbering of PyPy-STM C8 logs.
     *
     * @param name         its key in {@link Options#settings()}, and the option's name without {@code --}
     * @param defaultValue the value when none is given
     * @param values       every valid value
     */
    record Setting(String name, String defaultValue, List<String> values) {
        public Setting {
            values = List.copyOf(values);
        }
    }

    /**
     * How to read.
     *
     * @param settings the sources' settings by {@link Setting#name()}; a setting not given has
     *                 its default value
     * @param warn     receives one-line warnings, such as a suspected other numbering
     * @param decoders threads that decode a stmlog log's chunks besides the reading one
     *                 ({@link LogReader#read(EventVisitor, int)}; 0: the reading thread alone).
     *                 Whatever it is, the visitor sees the same events in the same order.
     */
    record Options(Map<String, String> settings, Consumer<String> warn, int decoders) {
        public static final Options DEFAULTS = new Options(Map.of(), w -> { });

        public Options {
            settings = Map.copyOf(settings);
        }

        /** With {@link LogReader#defaultDecoders()} decoders. */
        public Options(Map<String, String> settings, Consumer<String> warn) {
            this(settings, warn, LogReader.defaultDecoders());
        }

        public Options withDecoders(int decoders) {
            return new Options(settings, warn, decoders);
        }

        public Options withWarn(Consumer<String> warn) {
            return new Options(settings, warn, decoders);
        }

        /** The value of {@code s}: the one given, or its default. */
        public String setting(Setting s) {
            return settings.getOrDefault(s.name(), s.defaultValue());
        }
    }
}
