package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The first duty, on a program stmlog's runtime did not write: {@code record --agent} runs the
 * agent module's planted Clojure program (real Clojure, the real agent jar) and {@code top} names
 * both sides' {@code .clj} lines, which the program marks with {@code site:} comments. Runs after
 * the agent module has been packaged (the pom's integration execution sets the paths).
 */
class AgentTopIT {
    @TempDir
    Path dir;

    private static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null) fail(name + " is not set: run the *IT tests through mvn verify");
        Path p = Path.of(value);
        if (!Files.exists(p)) fail(p + " does not exist: the agent module is built (verify) before the analyzer");
        return p;
    }

    private static Path planted() {
        return property("stmlog.planted.dir").resolve("stmlog/planted.clj");
    }

    /** The line of planted.clj that carries {@code site:NAME}. */
    private static int line(String site) throws IOException {
        List<String> lines = Files.readAllLines(planted());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("site:" + site)) return i + 1;
        }
        throw new AssertionError("no site:" + site + " in " + planted());
    }

    /** Records the planted program in {@code mode} with the agent; returns {@code top}'s text. */
    private String recordAndTop(String mode) throws IOException {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(property("stmlog.clojure.dir").resolve("1.12.3"))) {
            jars.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> cp.add(f.toString()));
        }
        cp.add(property("stmlog.planted.dir").toString());
        Path log = dir.resolve(mode + ".stmlog");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Cli.Result run = Cli.run("record", "--agent=" + property("stmlog.agent.jar"), "--out", log.toString(),
                "--timeout", "120s", "--", java, "-cp", String.join(File.pathSeparator, cp),
                "clojure.main", "-m", "stmlog.planted", mode);
        assertEquals(0, run.status(), run.err());
        Cli.Result top = Cli.run("top", log.toString());
        assertEquals(0, top.status(), top.err());
        return top.out();
    }

    /** The sites of {@code top}'s text, each as its block of lines. */
    private static List<String> sites(String top) {
        List<String> sites = new ArrayList<>();
        for (String block : top.split("\n(?=#\\d+ )")) {
            if (block.startsWith("#")) sites.add(block);
        }
        return sites;
    }

    private static boolean names(String site, int victimLine, int otherLine) {
        return site.lines().anyMatch(l -> l.startsWith("     at ") && l.endsWith("(planted.clj:" + victimLine + ")"))
                && site.lines().anyMatch(l -> l.startsWith("     other side: ") && l.endsWith("(planted.clj:" + otherLine + ")"));
    }

    @Test
    void topNamesBothSidesClojureLinesAndCommuteRemovesTheCounter() throws IOException {
        int counter = line("counter-alter");
        int victim = line("shared-victim");
        int barger = line("shared-barger");

        String alter = recordAndTop("alter");
        List<String> sites = sites(alter);
        assertTrue(sites.stream().anyMatch(s -> s.contains("WRITE_WRITE") && names(s, counter, counter)),
                "the counter alter'ed on both sides, at planted.clj:" + counter + ":\n" + alter);
        assertTrue(sites.stream().anyMatch(s -> s.contains("WRITE_WRITE") && names(s, victim, barger)),
                "the barged transaction at :" + victim + ", the barger at :" + barger + ":\n" + alter);

        int commuted = line("counter-commute");
        String commute = recordAndTop("commute");
        assertFalse(sites(commute).stream().anyMatch(s -> s.contains("(planted.clj:" + counter + ")")
                        || s.contains("(planted.clj:" + commuted + ")")),
                "commuted, the counter has no site:\n" + commute);
        assertTrue(sites(commute).stream().anyMatch(s -> names(s, victim, barger)), commute);
    }
}
