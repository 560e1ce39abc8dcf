package dev.stmlog.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** The planted Clojure program (test resource stmlog/planted.clj) and the lines of its sites. */
final class Planted {
    static final String RESOURCE = "stmlog/planted.clj";
    static final String FILE = "planted.clj";

    private Planted() {
    }

    /** The directory to put on the child's classpath for {@code stmlog.planted}. */
    static Path root() throws URISyntaxException {
        Path clj = Path.of(Planted.class.getClassLoader().getResource(RESOURCE).toURI());
        return clj.getParent().getParent();
    }

    /** The 1-based line of {@code ;; site:NAME} (the comment ending the line). */
    static int line(String site) throws IOException {
        try (InputStream in = Planted.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith("; site:" + site)) return i + 1;
            }
        }
        return fail("no site:" + site + " in " + RESOURCE);
    }
}
