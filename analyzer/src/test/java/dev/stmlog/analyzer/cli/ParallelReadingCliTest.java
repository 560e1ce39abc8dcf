package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.LargeLogGeneratorAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verbs print, count and warn alike whether a log's chunks are decoded on the reading thread
 * alone ({@code -Dstmlog.decoders=0}) or in parallel: {@code print}'s events in the same order,
 * its {@code --limit} stopping the read early, and the same damage warnings.
 */
@Timeout(300)
class ParallelReadingCliTest {
    @TempDir
    Path dir;

    private static final List<List<String>> COMMANDS = List.of(
            List.of("print", "--format", "json", "--limit", "40000"),
            List.of("print", "--type", "contention,tx_abort,wait_begin,mark,gc"),
            List.of("print", "--limit", "7"),
            List.of("top", "--format", "json", "--limit", "1000", "--by", "pair"),
            List.of("summary", "--format", "json"),
            List.of("check", "--format", "json"));

    private static Cli.Result run(String decoders, List<String> command, Path log) {
        String before = System.getProperty("stmlog.decoders");
        System.setProperty("stmlog.decoders", decoders);
        try {
            String[] args = new String[command.size() + 2];
            command.toArray(args);
            args[command.size()] = "--no-pager";
            args[command.size() + 1] = log.toString();
            return Cli.run(args);
        } finally {
            if (before == null) System.clearProperty("stmlog.decoders");
            else System.setProperty("stmlog.decoders", before);
        }
    }

    private static void assertSameOutputs(Path log) {
        for (List<String> command : COMMANDS) {
            Cli.Result sequential = run("0", command, log);
            assertTrue(sequential.status() <= 1, sequential.err());
            for (String decoders : new String[] {"1", "2"}) {
                Cli.Result parallel = run(decoders, command, log);
                assertEquals(sequential, parallel, command + " with " + decoders + " decoders");
            }
        }
    }

    @Test
    void intactDamagedAndCutLogs() throws IOException {
        Path log = LargeLogGeneratorAccess.generate(dir.resolve("log.stmlog"), 600_000);
        assertTrue(Files.size(log) > 2_000_000, "many batches");
        assertSameOutputs(log);

        byte[] all = Files.readAllBytes(log);
        byte[] bad = all.clone();
        for (int i = bad.length / 3; i < bad.length / 3 + 64; i++) bad[i] ^= 0x5A;
        assertSameOutputs(Files.write(dir.resolve("bad.stmlog"), bad));
        assertSameOutputs(Files.write(dir.resolve("cut.stmlog"), Arrays.copyOf(all, all.length * 8 / 10 + 5)));
    }
}
