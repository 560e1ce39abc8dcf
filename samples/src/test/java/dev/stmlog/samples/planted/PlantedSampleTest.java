package dev.stmlog.samples.planted;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code // planted: ...} markers are a contract with benchmarks/diagnosis.sh, which finds
 * the planted lines by them: each once, on the line that does what it says.
 */
class PlantedSampleTest {

    static final Pattern MARKER = Pattern.compile("//\\s*planted:\\s*(read \\w+|write \\w+|inevitable)\\s*$");

    @Test
    void eachMarkerIsOnceOnTheLineItNames() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/main/java/dev/stmlog/samples/planted/PlantedSample.java"));
        Map<String, Integer> found = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (m.find()) assertNull(found.put(m.group(1), i), "twice: " + m.group(1));
        }
        assertEquals(5, found.size(), found.toString());
        assertTrue(lines.get(found.get("inevitable")).contains("Stm.inevitable()"));
        for (String p : List.of("A", "B")) {
            String ref = p.toLowerCase();
            int read = found.get("read " + p), write = found.get("write " + p);
            assertTrue(lines.get(read).contains(ref + ".get()"), lines.get(read));
            assertTrue(lines.get(write).contains(ref + ".set("), lines.get(write));
            assertTrue(read < write && write - read <= 3, p + ": read then write, in one transaction");
        }
    }
}
