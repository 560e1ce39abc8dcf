package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrintCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonLinesWithFilters() throws IOException {
        Path log = Planted.write(dir.resolve("p.stmlog"));
        Cli.Result all = Cli.run("print", "--format", "json", log.toString());
        assertEquals(0, all.status(), all.err());
        List<String> lines = all.out().lines().toList();
        for (String l : lines) Json.parse(l);
        assertEquals(24, lines.size(), all.out());

        Cli.Result contentions = Cli.run("print", "--format", "json", "--type", "contention", log.toString());
        List<String> c = contentions.out().lines().toList();
        assertEquals(3, c.size(), contentions.out());
        Map<String, Object> first = Json.object(c.get(0));
        assertEquals("Contention", first.get("type"));
        assertEquals("WRITE_WRITE", first.get("kind"));
        assertEquals("1", first.get("thread"));
        assertEquals("alpha", first.get("thread_name"));
        assertEquals("account#1", first.get("label"));
        assertEquals(List.of("dev.stmlog.runtime.Ref.set(Ref.java:120)", "com.example.Bank.transfer(Bank.java:42)",
                "com.example.Teller.serve(Teller.java:7)"), first.get("victim"));
        assertEquals(0, new java.math.BigDecimal("1.004").compareTo((java.math.BigDecimal) first.get("t_s")));

        Cli.Result beta = Cli.run("print", "--format", "json", "--thread", "beta", "--type", "tx_abort,TxCommit", log.toString());
        assertEquals(3, beta.out().lines().count(), beta.out());

        Cli.Result window = Cli.run("print", "--from", "2", "--to", "2.015", log.toString());
        assertEquals(2, window.out().lines().count(), window.out());
        assertTrue(window.out().contains("Contention"), window.out());

        Cli.Result limited = Cli.run("print", "--limit", "5", log.toString());
        assertEquals(5, limited.out().lines().count(), limited.out());
        assertEquals(0, limited.status());
    }
}
