package dev.stmlog.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stmlog.format.event.Event;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the bytes, the reader either refuses the file as not a stmlog log or reads it to the
 * end, reporting damage, without throwing or allocating beyond its bounds; and reads it alike
 * whether its chunks are decoded in parallel or not.
 *
 * <p>{@code mvn verify} runs the inputs under
 * {@code src/test/resources/dev/stmlog/format/LogReaderFuzzTestInputs/readsAnyBytes/}.
 * To fuzz (see the README): {@code JAZZER_FUZZ=1 mvn -pl log-format test -Dtest=LogReaderFuzzTest}.
 */
class LogReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytes(byte[] data) throws Exception {
        LogReader reader;
        try {
            reader = LogReader.open(Channels.newChannel(new ByteArrayInputStream(data)), "fuzz");
        } catch (LogFormatException notOurs) {
            return;
        }
        long[] delivered = new long[1];
        ReadResult r;
        try (reader) {
            r = reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    delivered[0]++;
                }
            });
        }
        assertEquals(r.events(), delivered[0]);
        assertTrue(r.records() >= r.events());
        Damage d = r.damage();
        assertTrue(d.bytesSkipped() >= 0 && d.bytesSkipped() <= data.length);
        assertTrue(d.truncatedAt() <= data.length);
        assertTrue(d.notes().size() <= 101);
        if (d.isDamaged()) assertTrue(!d.notes().isEmpty());

        // and chunks decoded in parallel, in batches of a chunk or two, tell the visitor the same
        ParallelDecodingTest.Read sequential = ParallelDecodingTest.read(data, 0, 1 << 20);
        ParallelDecodingTest.Read parallel = ParallelDecodingTest.read(data, 2, 64);
        assertEquals(sequential.result(), parallel.result());
        assertEquals(sequential.calls(), parallel.calls());
    }
}
