package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompletionCommandTest {
    @TempDir
    Path dir;

    static final List<String> VERBS = List.of("top", "summary", "check", "print", "record", "report", "scale", "export",
            "diff", "completion");

    @Test
    void bashScriptCompletesStmlogAndItsVerbs() throws Exception {
        Cli.Result r = Cli.run("completion", "bash");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        String script = r.out();
        assertTrue(Pattern.compile("(?m)^\\s*complete -F \\S+ (-o \\S+ )*stmlog\\b").matcher(script).find()
                || script.contains("complete -F _complete_stmlog") , "defines completion for stmlog:\n" + head(script));
        // the verbs are what the root completes to, though a run registers only the verb it names
        Matcher m = Pattern.compile("(?m)^\\s*local commands=\"([^\"]*)\"").matcher(script);
        assertTrue(m.find(), head(script));
        List<String> listed = List.of(m.group(1).trim().split("\\s+"));
        assertTrue(listed.containsAll(VERBS), listed.toString());
        // options of a verb, and the values of an enum option
        assertTrue(script.contains("--fail-if"), "diff's options");
        assertTrue(script.contains("--by"), "top's options");
        Path file = Files.writeString(dir.resolve("stmlog.bash"), script, StandardCharsets.UTF_8);
        assertEquals(0, bash(file), "bash -n accepts the script");
        // sourced, it completes a verb and a verb's option as bash would ask it to
        assertEquals("diff", complete(file, "stmlog di"));
        assertEquals("--fail-if", complete(file, "stmlog diff --fa"));
    }

    /** What the script's completion function offers for {@code line}, the cursor at its end. */
    static String complete(Path script, String line) throws Exception {
        String program = "source '" + script + "'; COMP_LINE='" + line + "'; COMP_WORDS=(" + line + ");"
                + " COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#COMP_LINE}; _complete_stmlog 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) fail("bash did not finish in 60 s");
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    @Test
    void helpListsTheVerb() {
        Cli.Result r = Cli.run("--help");
        assertTrue(r.out().contains("completion"), r.out());
        assertTrue(Cli.run("completion", "--help").out().contains("bashcompinit"));
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashcompinit() {
        Cli.Result zsh = Cli.run("completion", "zsh");
        assertEquals(0, zsh.status(), zsh.err());
        assertEquals(Cli.run("completion", "bash").out(), zsh.out());
        assertTrue(zsh.out().contains("bashcompinit"), head(zsh.out()));
    }

    @Test
    void otherShellsAreUsageErrors() {
        Cli.Result r = Cli.run("completion", "fish");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("stmlog completion: "), r.err());
        assertEquals(2, Cli.run("completion").status());
    }

    static int bash(Path script) throws Exception {
        Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) fail("bash -n did not finish in 60 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) fail("bash -n: " + out);
            return p.exitValue();
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    static String head(String s) {
        return s.length() < 3000 ? s : s.substring(0, 3000);
    }
}
