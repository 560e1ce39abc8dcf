package dev.stmlog.format;

import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a crafted file can do to the reader: nothing but be reported. */
class HostileInputTest {

    @Test
    void unknownRecordsAreSkippedAndUnknownTimedRecordsStillCarryTheirTime() throws Exception {
        byte[] file = new ChunkBuilder()
                .record(0x20, 10)                       // start at 100 + 10
                .record(0x50, 5, 0xAA, 0xBB)            // unknown timed: +5
                .record(0x10, 1, 2, 3)                  // unknown untimed
                .record(0xC0)                           // reserved range, untimed
                .record(0x21, 7, 0x99, 0x99)            // commit at 122, with fields from a future version
                .chunk(1, 100)
                .bytes();
        TestLogs.Read read = TestLogs.read(file);
        assertEquals(List.of(new TxStart(110, 1), new TxCommit(122, 1)), read.events());
        assertEquals(3, read.result().unknownRecords());
        assertEquals(0, read.result().damage().malformedRecords());
    }

    @Test
    void hugeChunkLengthsAreDamageNotAllocations() throws Exception {
        byte[] file = new ChunkBuilder()
                .record(0x20, 1).chunk(1, 0)
                .record(0x20, 1).chunk(1, 0, 0x7FFFFFFF)   // claims 2 GiB
                .record(0x21, 1).chunk(1, 0)
                .bytes();
        TestLogs.Read read = TestLogs.read(file);
        assertEquals(List.of(new TxStart(1, 1), new TxCommit(1, 1)), read.events());
        assertEquals(1, read.result().damage().damagedRegions());
        assertEquals(1, read.result().damage().missingChunks());
    }

    @Test
    void aChunkClaimingFourMegabytesAtTheEndIsATruncationNotAnAllocation() throws Exception {
        byte[] file = new ChunkBuilder().record(0x20, 1).record(0x21, 1).chunk(1, 0, Format.MAX_CHUNK_PAYLOAD).bytes();
        TestLogs.Read read = TestLogs.read(file);
        assertEquals(2, read.events().size());
        assertTrue(read.result().damage().truncatedAt() > 0);
    }

    @Test
    void malformedRecordsAreSkippedOneByOne() throws Exception {
        byte[] file = new ChunkBuilder()
                .record(0x04, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F)      // stack of 2^32-1 frames
                .record(0x02, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 'x') // string of 2 GiB
                .record(0x22, 0, 99)                                 // abort with an unknown cause
                .record(0x20)                                        // timed record without a time
                .record(0x20, 3)
                .chunk(1, 0)
                .bytes();
        TestLogs.Read read = TestLogs.read(file);
        assertEquals(List.of(new TxStart(3, 1)), read.events());
        assertEquals(4, read.result().damage().malformedRecords(), read.result().damage().notes()::toString);
    }

    @Test
    void aRecordSizePastItsChunkEndsThatChunkOnly() throws Exception {
        byte[] file = new ChunkBuilder()
                .record(0x20, 1)
                .raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F) // size varint far too big
                .chunk(1, 0)
                .record(0x21, 1).chunk(1, 1)
                .bytes();
        TestLogs.Read read = TestLogs.read(file);
        assertEquals(List.of(new TxStart(1, 1), new TxCommit(2, 1)), read.events());
        assertEquals(1, read.result().damage().malformedRecords());
    }

    @Test
    void undefinedPoolIdsResolveToPlaceholdersAndAreCounted() throws Exception {
        byte[] file = new ChunkBuilder()
                .record(0x26, 1, 9)        // inevitable at undefined stack 9
                .record(0x29, 1, 7, 2)     // mark named by undefined string 7, value 1
                .chunk(1, 0)
                .bytes();
        TestLogs.Read read = TestLogs.read(file);
        List<Event> events = read.events();
        assertEquals(new BecomeInevitable(1, 1, Stack.EMPTY), events.get(0));
        assertEquals(new UserMark(2, 1, "<unknown string #7>", 1), events.get(1));
        assertEquals(2, read.result().damage().unresolvedReferences());
    }
}
