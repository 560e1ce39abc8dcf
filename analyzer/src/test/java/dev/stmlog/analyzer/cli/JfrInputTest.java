package dev.stmlog.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JFR recording is the third kind of log the verbs read; one without stmlog's events is bad
 * input, said in one line. (Recordings with the runtime's events: samples' JfrRecordingTest.)
 */
@Timeout(60)
class JfrInputTest {
    @TempDir
    Path dir;

    @Name("test.Other")
    static final class Other extends Event {
    }

    @Test
    void aRecordingWithoutStmlogEventsIsOneLineAndExitOne() throws Exception {
        Path jfr = dir.resolve("other.jfr");
        try (Recording r = new Recording()) {
            r.enable(Other.class);
            r.start();
            new Other().commit();
            r.stop();
            r.dump(jfr);
        }
        for (String verb : List.of("top", "summary", "export")) {
            Cli.Result result = verb.equals("export") ? Cli.run("export", "--to", "collapsed", jfr.toString())
                    : Cli.run(verb, jfr.toString());
            assertEquals(1, result.status(), verb + ": " + result.err());
            assertEquals(List.of("stmlog: " + jfr + ": a JFR recording without stmlog events"), result.errLines(), verb);
        }
    }
}
