package dev.stmlog.analyzer;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages make generated logs. */
public final class LargeLogGeneratorAccess {
    private LargeLogGeneratorAccess() {}

    public static Path generate(Path file, long events) throws IOException {
        LargeLogGenerator.generate(file, events, 7);
        return file;
    }
}
