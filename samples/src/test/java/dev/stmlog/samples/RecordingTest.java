package dev.stmlog.samples;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a sample in a child JVM with STM_LOG set, then reads the log it wrote. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RecordingTest {

    @ParameterizedTest
    @CsvSource({"primes,stm,2", "primes,serial,1", "bank,lock,2", "bank,stm,2"})
    void aRecordedRunHasOneMarkPerOpAndItsMetadata(String sample, String mode, int threads, @TempDir Path dir) throws Exception {
        Path log = dir.resolve(sample + ".stmlog");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                Main.class.getName(), sample, "--mode", mode, "--threads", Integer.toString(threads), "--duration", "1"));
        if (sample.equals("primes")) cmd.addAll(List.of("--n", "3000", "--clients", "4"));
        // Hot accounts: conflicts, so contended Refs, while the sample checks the total (exit 1 if not kept).
        if (sample.equals("bank") && mode.equals("stm")) cmd.addAll(List.of("--hot", "2", "--hot-share", "0.5"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("STM_LOG", log.toString());
        ChildProcess.Result child = ChildProcess.run(pb, 60);
        String out = child.out();
        String err = child.err();
        assertEquals(0, child.exit(), out + err);

        List<String> lines = out.lines().toList();
        Matcher m = MainTest.RESULT.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), out);
        long ops = Long.parseLong(m.group(4));
        assertTrue(ops > 0);

        assertTrue(Files.exists(log), "log file " + log + "; stderr: " + err);
        assertTrue(Files.size(log) > 0, "empty log");
        List<UserMark> window = new ArrayList<>();
        long[] marks = new long[2];
        long[] opTimes = {Long.MAX_VALUE, Long.MIN_VALUE};
        ReadResult result;
        try (LogReader reader = LogReader.open(log)) {
            result = reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    if (e instanceof UserMarks um && um.name().equals(Marks.OP)) {
                        // counted: one record per thread and tick
                        assertEquals(um.count(), um.sum(), "each op mark has value 1");
                        marks[0] += um.count();
                        opTimes[0] = Math.min(opTimes[0], um.time());
                        opTimes[1] = Math.max(opTimes[1], um.time());
                    } else if (e instanceof UserMarks um) {
                        marks[1] += um.count();
                    } else if (e instanceof UserMark um) {
                        if (um.name().startsWith("window.")) {
                            window.add(um);
                        } else {
                            marks[1]++;
                        }
                    }
                }
            });
        }
        assertTrue(result.cleanClose(), "log not closed cleanly: " + result.damage());
        assertEquals(ops, marks[0], "one \"op\" mark per op reported in RESULT");
        assertEquals(0, marks[1], "no other marks");
        window.sort(java.util.Comparator.comparingLong(UserMark::time));
        assertEquals(List.of(Marks.WINDOW_START, Marks.WINDOW_END), window.stream().map(UserMark::name).toList(),
                "one window, in order");
        assertTrue(window.get(0).time() <= opTimes[0] && opTimes[1] < window.get(1).time(),
                "every op inside the window (counted marks at their record's time, which the analyzer counts in it)");
        Map<String, String> user = result.metadata().user();
        assertEquals(sample, user.get("sample"), user.toString());
        assertEquals(mode, user.get("mode"), user.toString());
        assertEquals(Integer.toString(threads), user.get("threads"), user.toString());
        assertTrue(new File(log.toString()).length() > 0);
    }
}
