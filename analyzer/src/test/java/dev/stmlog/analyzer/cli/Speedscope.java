package dev.stmlog.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real speedscope (the npm package's release app and schema, installed by ./test.sh with
 * {@code npm ci --prefix analyzer/src/test/node}). Fails, never skips, when it is missing.
 */
final class Speedscope {
    static final Path NODE_PROJECT = Path.of("src/test/node").toAbsolutePath();
    static final Path APP = NODE_PROJECT.resolve("node_modules/speedscope/dist/release/index.html");

    private Speedscope() {}

    /**
     * Opens {@code profile} (any format speedscope imports) in speedscope's app in headless
     * Chromium, in its sandwich view, whose table lists every frame by name; returns the DOM.
     * The app loads a local profile the way its own command-line tool does: a script, named in
     * the URL, that hands it the file in base64.
     */
    static String sandwich(Path profile, Path work) throws IOException, InterruptedException {
        installed();
        Path loader = work.resolve("load-" + System.nanoTime() + ".js");
        String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(profile));
        Files.writeString(loader, "speedscope.loadFileFromBase64(\"" + profile.getFileName() + "\", \"" + base64 + "\")",
                StandardCharsets.UTF_8);
        Chromium.Page page = Chromium.open(APP, "localProfilePath=" + loader + "&view=sandwich", work);
        assertTrue(page.consoleErrors().stream().noneMatch(l -> l.contains("Uncaught")), page.log());
        return page.dom();
    }

    /** Runs the schema check (Ajv on speedscope's file-format-schema.json); its stderr, empty when valid. */
    static String schemaErrors(Path file) throws IOException, InterruptedException {
        installed();
        Path err = Files.createTempFile(file.getParent(), "ajv", ".log");
        Process p = new ProcessBuilder(List.of("node", NODE_PROJECT.resolve("validate-speedscope.mjs").toString(),
                file.toString())).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the schema check did not finish in 60 s");
        }
        String out = Files.readString(err);
        if (p.exitValue() != 0 && out.isBlank()) fail("node failed with status " + p.exitValue());
        return p.exitValue() == 0 ? "" : out;
    }

    private static void installed() {
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(APP)) missing.add(APP.toString());
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/ajv"))) missing.add("ajv");
        assertTrue(missing.isEmpty(), "missing " + missing + ": run npm ci --prefix analyzer/src/test/node"
                + " (./test.sh, the README's test command, does)");
    }
}
