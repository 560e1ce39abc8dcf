package dev.stmlog.samples;

import dev.stmlog.analyzer.cli.Environment;
import dev.stmlog.analyzer.cli.Stmlog;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stmlog scale} reads from a sample's log the throughput that the sample's RESULT line
 * reports, with and without a warm-up (which in stm mode is inside the recording). Not a timing
 * threshold: both count the same operations (the {@code op} marks between the window's marks)
 * over the same window (the marks are made right before and after the sample reads its clock),
 * so they differ by the few microseconds between a mark and the clock reading and by the
 * RESULT line's rounding of seconds to the millisecond: 0.1% of a one-second run. Marks over
 * the log's wall time, as scale counted before, were 40% low for every sample with a 1 s
 * warm-up before 1.5 s of measure.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ScaleAgreesWithResultTest {

    @ParameterizedTest
    @CsvSource({"primes,0", "primes,0.5", "astar,0", "astar,0.5", "wiki,0", "wiki,0.5", "bank,0", "bank,0.5"})
    void scaleFindsTheResultLinesThroughput(String sample, String warmup, @TempDir Path dir) throws Exception {
        Path log = dir.resolve(sample + ".stmlog");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                Main.class.getName(), sample, "--threads", "2", "--duration", "1", "--warmup", warmup));
        switch (sample) { // smaller than the defaults, so that the set-up takes no time
            case "primes" -> cmd.addAll(List.of("--n", "3000", "--clients", "4"));
            case "wiki" -> cmd.addAll(List.of("--titles", "100000"));
            default -> { }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("STM_LOG", log.toString());
        ChildProcess.Result child = ChildProcess.run(pb, 60);
        String out = child.out();
        assertEquals(0, child.exit(), out + child.err());
        List<String> lines = out.lines().toList();
        Matcher result = MainTest.RESULT.matcher(lines.get(lines.size() - 1));
        assertTrue(result.matches(), out);
        long ops = Long.parseLong(result.group(4));
        double seconds = Double.parseDouble(result.group(5));

        StringWriter csv = new StringWriter(), err = new StringWriter();
        int status = Stmlog.run(Environment.plain(Map.of()), new PrintWriter(csv), new PrintWriter(err),
                "scale", "--format", "csv", "--exact", log.toString());
        assertEquals(0, status, err.toString());
        List<String> rows = csv.toString().lines().toList();
        assertEquals(2, rows.size(), csv.toString());
        List<String> header = Arrays.asList(rows.get(0).split(","));
        String[] row = rows.get(1).split(",");
        String from = row[header.indexOf("throughput_from")];
        long operations = Long.parseLong(row[header.indexOf("operations")]);
        double throughput = Double.parseDouble(row[header.indexOf("throughput_per_s")]);

        assertEquals("window", from, "the sample declares its measured window: " + csv);
        assertEquals(ops, operations, "the same operations: " + csv);
        double ratio = throughput / (ops / seconds);
        assertTrue(Math.abs(ratio - 1) <= 0.03, String.format("scale %.1f/s, RESULT %d ops in %.3f s (ratio %.4f)%n%s",
                throughput, ops, seconds, ratio, csv));
    }
}
