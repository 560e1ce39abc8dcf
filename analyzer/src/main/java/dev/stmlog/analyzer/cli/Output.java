package dev.stmlog.analyzer.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Where a command's report goes: straight to stdout, or through {@code $PAGER} (default
 * {@code less -FRX}) when stdout is a terminal and {@code --no-pager} was not given. A pager
 * that cannot be started is skipped.
 */
final class Output implements AutoCloseable {
    static final String DEFAULT_PAGER = "less -FRX";

    private final PrintWriter writer;
    private final Process pager;

    private Output(PrintWriter writer, Process pager) {
        this.writer = writer;
        this.pager = pager;
    }

    static Output open(PrintWriter stdout, Environment env, boolean noPager) {
        if (noPager || !env.stdoutTerminal()) return new Output(stdout, null);
        String command = env.get("PAGER");
        if (command == null) command = DEFAULT_PAGER;
        if (command.isBlank() || command.strip().equals("cat")) return new Output(stdout, null);
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (env.get("LESS") == null) pb.environment().put("LESS", "FRX");
            Process p = pb.start();
            PrintWriter w = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), Charset.defaultCharset()));
            return new Output(w, p);
        } catch (IOException e) {
            return new Output(stdout, null);
        }
    }

    PrintWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.flush();
        if (pager != null) {
            writer.close(); // the pager sees the end of its input
            try {
                pager.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
