package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A damaged log is analysed anyway; the damage is one warning line on stderr. */
class DamagedLogTest {
    @TempDir
    Path dir;

    /** The planted log, then many more transactions so that the file has several chunks. */
    private Path bigLog() throws IOException {
        return dev.stmlog.analyzer.LargeLogGeneratorAccess.generate(dir.resolve("big.stmlog"), 60_000);
    }

    @Test
    void truncatedLogStillGivesResults() throws IOException {
        Path log = bigLog();
        byte[] all = Files.readAllBytes(log);
        Path cut = Files.write(dir.resolve("cut.stmlog"), Arrays.copyOf(all, all.length * 6 / 10 + 7));
        Cli.Result r = Cli.run("top", "--format", "json", cut.toString());
        assertEquals(0, r.status(), r.err());
        List<String> err = r.errLines();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("stmlog: warning: " + cut + ": truncated at byte "), err.get(0));
        Map<String, Object> json = Json.object(r.out());
        assertFalse(((List<?>) json.get("sites")).isEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> damage = (Map<String, Object>) json.get("damage");
        assertEquals(Boolean.TRUE, damage.get("truncated"));

        Cli.Result check = Cli.run("check", cut.toString());
        assertEquals(1, check.status());
        assertTrue(check.out().contains("truncated at byte"), check.out());
        assertTrue(check.out().contains("DAMAGED"), check.out());
    }

    @Test
    void corruptedLogStillGivesResults() throws IOException {
        Path log = bigLog();
        byte[] all = Files.readAllBytes(log);
        for (int i = all.length / 2; i < all.length / 2 + 64; i++) all[i] ^= 0x5A;
        Path bad = Files.write(dir.resolve("bad.stmlog"), all);
        Cli.Result r = Cli.run("summary", "--format", "json", bad.toString());
        assertEquals(0, r.status(), r.err());
        List<String> err = r.errLines();
        assertTrue(err.get(0).contains(bad + ": ") && err.get(0).contains("damaged bytes skipped"), r.err());
        assertTrue(err.stream().allMatch(l -> l.startsWith("stmlog: warning: ")), r.err());
        Map<String, Object> json = Json.object(r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> damage = (Map<String, Object>) json.get("damage");
        assertTrue(((BigDecimal) damage.get("bytes_skipped")).signum() > 0);
        assertEquals(Boolean.FALSE, damage.get("truncated"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tx = (Map<String, Object>) json.get("transactions");
        assertTrue(((BigDecimal) tx.get("committed")).intValue() > 1000);

        Cli.Result top = Cli.run("top", bad.toString());
        assertEquals(0, top.status());
        assertTrue(top.out().contains("lost in aborts"), top.out());

        Cli.Result check = Cli.run("check", "--format", "json", bad.toString());
        assertEquals(1, check.status());
        assertEquals(Boolean.FALSE, Json.object(check.out()).get("clean"));
    }

    @Test
    void cleanLogChecksClean() throws IOException {
        Path log = Planted.write(dir.resolve("clean.stmlog"));
        Cli.Result r = Cli.run("check", log.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("pid:") && r.out().contains("4242"), r.out());
        assertTrue(r.out().contains("clean close:     yes"), r.out());
        assertTrue(r.out().contains("chunks"), r.out());
        assertEquals("", r.err());
    }
}
