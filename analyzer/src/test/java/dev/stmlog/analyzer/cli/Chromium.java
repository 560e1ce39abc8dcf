package dev.stmlog.analyzer.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a page in Debian's headless Chromium and returns the DOM after its scripts ran. Fails
 * (never skips) when Chromium is missing: ./test.sh (the README's test command, which CI runs) installs it.
 */
final class Chromium {
    static final Path BINARY = Path.of(System.getenv().getOrDefault("STMLOG_CHROMIUM", "/usr/bin/chromium"));

    record Page(String dom, String log) {
        /** Lines of Chromium's log that report script errors or console messages. */
        List<String> consoleErrors() {
            List<String> out = new ArrayList<>();
            for (String l : log.split("\n")) {
                if (l.contains("Uncaught") || l.contains(":CONSOLE") || l.contains("Refused to")) out.add(l);
            }
            return out;
        }
    }

    static Page open(Path html, String fragment, Path work) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is missing: install Debian's chromium"
                + " (apt-get install -y chromium); ./test.sh does, as root");
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path out = work.resolve("dom-" + System.nanoTime() + ".html");
        Path err = work.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> cmd = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000", "--dump-dom",
                html.toUri() + (fragment == null ? "" : "#" + fragment));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s");
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly(); // the wait interrupted by the test's @Timeout, say
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        String log = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || dom.isBlank()) fail("chromium failed (" + p.exitValue() + "): " + log);
        return new Page(dom, log);
    }

    private Chromium() {}
}
