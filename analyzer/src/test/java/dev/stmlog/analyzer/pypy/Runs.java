package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PrintStmLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the printer on a file and keeps everything it produced, failure included. */
record Runs(String out, String err, PrintStmLog.Result result, PypyCompatException failure) {

    static Runs run(Path log, Path sourceRoot, boolean strict, Integer limit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStmLog.Options o = PrintStmLog.Options.defaults().withStrict(strict).withLimit(limit)
                .withSourceRoots(List.of(sourceRoot));
        PrintStmLog.Result r = null;
        PypyCompatException f = null;
        try (PrintStream po = new PrintStream(out, false); PrintStream pe = new PrintStream(err, false)) {
            try {
                r = PrintStmLog.run(log, log.getFileName().toString(), o, po, pe);
            } catch (PypyCompatException e) {
                f = e;
            }
        }
        return new Runs(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), r, f);
    }

    static Runs strict(Path log, Path sourceRoot) throws Exception {
        return run(log, sourceRoot, true, null);
    }

    static Runs lenient(Path log, Path sourceRoot) throws Exception {
        return run(log, sourceRoot, false, null);
    }

    /** The failure's message, or null. */
    String error() {
        return failure == null ? null : failure.getMessage();
    }

    List<String> warnings() {
        return result == null ? List.of() : result.warnings();
    }
}
