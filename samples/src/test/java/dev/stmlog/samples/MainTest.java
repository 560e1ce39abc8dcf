package dev.stmlog.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    static final Pattern RESULT = Pattern.compile(
            "RESULT sample=(\\w+) mode=(stm|serial|lock) threads=(\\d+) ops=(\\d+) seconds=(\\d+\\.\\d{3}) ops_per_s=(\\d+\\.\\d)");

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exactly one RESULT line, the last one, well-formed and consistent; returns its matcher. */
    static Matcher checkResult(Run r, String sample, String mode, int threads) {
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.lines();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("RESULT")).count(), r.out());
        Matcher m = RESULT.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), "last line: " + lines.get(lines.size() - 1));
        assertEquals(sample, m.group(1));
        assertEquals(mode, m.group(2));
        assertEquals(threads, Integer.parseInt(m.group(3)));
        long ops = Long.parseLong(m.group(4));
        double seconds = Double.parseDouble(m.group(5)), rate = Double.parseDouble(m.group(6));
        assertTrue(ops > 0, "ops");
        assertTrue(seconds > 0.1);
        assertEquals(ops / seconds, rate, Math.max(1, rate * 0.002), "ops_per_s = ops / seconds");
        return m;
    }

    @Test
    void everySampleEndsWithOneResultLine() {
        checkResult(run("bank", "--duration", "0.3", "--accounts", "100", "--hot", "2", "--hot-share", "0.5"), "bank", "stm", 2);
        checkResult(run("bank", "--duration=0.3", "--mode", "serial", "--threads", "4"), "bank", "serial", 1);
        checkResult(run("bank", "--duration", "0.3", "--mode", "lock", "--threads", "3"), "bank", "lock", 3);
        checkResult(run("wiki", "--duration", "0.3", "--titles", "20000", "--update-every", "10"), "wiki", "stm", 2);
        checkResult(run("astar", "--duration", "0.3", "--size", "32", "--players", "8", "--threads", "1"), "astar", "stm", 1);
        Run p = run("primes", "--duration", "0.5", "--n", "2000", "--clients", "2", "--tuned");
        checkResult(p, "primes", "stm", 2);
        assertTrue(p.out().contains("load: clients=2 "), p.out());
        checkResult(run("primes", "--duration", "0.3", "--n", "2000", "--mode", "serial"), "primes", "serial", 1);
        checkResult(run("primes", "--duration", "0.3", "--n", "2000", "--mode", "lock"), "primes", "lock", 2);
        Run planted = run("planted", "--duration", "0.3");
        checkResult(planted, "planted", "stm", 2);
        assertTrue(planted.out().startsWith("planted: commits A="), planted.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "nosuchsample", "bank --nosuchoption 1", "bank --threads", "bank --threads x", "bank --threads 0",
            "bank --duration -1", "bank --duration abc", "bank --mode fast", "bank extra", "bank --tuned",
            "primes --tuned=yes", "primes --clients 0", "primes --load maybe", "wiki --titles 1e6", "bank --hot-share 2",
            "bank --threads 2 --threads 3", "astar --size 99999", "planted --mode serial"})
    void badUsageExitsWith2AndOneLine(String args) {
        Run r = run(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(2, r.code(), args + " -> " + r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("stmlog-samples: "), r.err());
        assertFalse(r.out().contains("RESULT"));
    }

    @Test
    void helpExitsWith0() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("primes") && r.out().contains("wiki") && r.out().contains("RESULT"));
        Run s = run("primes", "--help");
        assertEquals(0, s.code());
        assertTrue(s.out().contains("--tuned") && s.out().contains("--clients") && s.out().contains("--threads"));
    }
}
