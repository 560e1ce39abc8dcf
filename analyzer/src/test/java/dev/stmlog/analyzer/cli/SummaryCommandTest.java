package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryCommandTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void jsonContract() throws IOException {
        Path log = Planted.write(dir.resolve("p.stmlog"));
        Cli.Result r = Cli.run("summary", "--format", "json", log.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> j = Json.object(r.out());
        assertEquals("stmlog-1", j.get("format"));
        assertEquals(List.of(log.toString()), j.get("files"));
        assertEquals(new BigDecimal(24), j.get("events"));
        assertEquals(0, new BigDecimal("3.0005").compareTo((BigDecimal) j.get("wall_s")));
        assertEquals(new BigDecimal(2), j.get("threads"));
        Map<String, Object> tx = (Map<String, Object>) j.get("transactions");
        assertEquals(List.of("committed", "aborted"), List.copyOf(tx.keySet()));
        Map<String, Object> cpu = (Map<String, Object>) j.get("cpu_s");
        assertTrue(cpu.keySet().containsAll(List.of("committed", "aborted", "paused", "gc")));
        assertEquals(0, new BigDecimal("0.0315").compareTo((BigDecimal) cpu.get("aborted")));
        Map<String, Object> damage = (Map<String, Object>) j.get("damage");
        assertEquals(Boolean.FALSE, damage.get("truncated"));
        assertEquals(BigDecimal.ZERO, damage.get("bytes_skipped"));
        assertEquals(BigDecimal.ZERO, damage.get("events_lost"));
    }

    @Test
    void textAndCsv() throws IOException {
        Path log = Planted.write(dir.resolve("p.stmlog"));
        Cli.Result text = Cli.run("summary", log.toString());
        assertEquals(0, text.status());
        assertTrue(text.out().contains("In transactions:   64.5 ms"), text.out());
        assertTrue(text.out().contains("committed        30.0 ms"), text.out());
        assertTrue(text.out().contains("GC pauses:         2.0 ms"), text.out());
        Cli.Result csv = Cli.run("summary", "--format", "csv", log.toString());
        List<String> lines = csv.out().lines().toList();
        assertEquals("thread,name,committed,aborted,committed_s,aborted_s,paused_s,total_s", lines.get(0));
        assertEquals("1,alpha,2,2,0.02,0.025,0.001,0.046", lines.get(1));
        assertEquals("*,,3,4,0.03,0.0315,0.003,0.0645", lines.get(3));
    }

    /** A script asking for JSON gets it even when nothing could be recovered: zero counts, the damage, exit 1. */
    @Test
    @SuppressWarnings("unchecked")
    void jsonWhenNothingCouldBeRead() throws IOException {
        Path garbage = Planted.writeUnreadable(dir.resolve("garbage.stmlog"));

        Cli.Result r = Cli.run("summary", "--format", "json", garbage.toString());
        assertEquals(1, r.status(), r.err());
        Map<String, Object> j = Json.object(r.out());
        assertEquals("stmlog-1", j.get("format"));
        assertEquals(BigDecimal.ZERO, j.get("events"));
        Map<String, Object> tx = (Map<String, Object>) j.get("transactions");
        assertEquals(BigDecimal.ZERO, tx.get("committed"));
        assertEquals(BigDecimal.ZERO, tx.get("aborted"));
        Map<String, Object> damage = (Map<String, Object>) j.get("damage");
        assertEquals(0, new BigDecimal(4096).compareTo((BigDecimal) damage.get("bytes_skipped")), damage::toString);
        List<String> err = r.errLines();
        assertEquals("stmlog: nothing could be read from " + garbage, err.get(err.size() - 1), r.err());

        Cli.Result text = Cli.run("summary", garbage.toString());
        assertEquals(1, text.status());
        assertEquals("", text.out(), "text has no counts to show");
    }
}
