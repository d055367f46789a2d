package dev.tomoyoctl.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The test BPF objects (bpf/test/ringbuf_feed.bpf.c and bad_prog.bpf.c, built by bpf/Makefile) and helpers to drive them. */
final class TestBpf {
    static final String FEED = "dev/tomoyoctl/loader/testbpf/ringbuf_feed.bpf.o";
    static final String BAD = "dev/tomoyoctl/loader/testbpf/bad_prog.bpf.o";

    private TestBpf() {}

    static BpfObject feedObject() {
        return BpfObject.openResource(FEED);
    }

    /** struct feed_args of ringbuf_feed.bpf.c. */
    record FeedResult(int retval, int nextSeq, int written, int failed, int magic, long wide) {}

    static FeedResult feed(BpfProgram prog, int count, int seq, int discardEvery) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, count).putInt(4, seq).putInt(8, discardEvery);
        TestRunResult r = prog.testRun(b.array());
        ByteBuffer o = ByteBuffer.wrap(r.ctx()).order(ByteOrder.LITTLE_ENDIAN);
        return new FeedResult(r.retval(), o.getInt(4), o.getInt(12), o.getInt(16), o.getInt(20), o.getLong(24));
    }

    /** record_size() of ringbuf_feed.bpf.c. */
    static int recordSize(int seq) {
        int size = (seq * 37 + 11) & 0xff;
        return size < 8 ? size + 8 : size;
    }

    /** Checks one feed record; returns its seq. */
    static int checkRecord(ByteBuffer sample) {
        int seq = sample.getInt(0);
        int size = sample.getInt(4);
        if (size != recordSize(seq) || sample.remaining() != size) {
            throw new AssertionError("record " + seq + ": size field " + size + ", slice " + sample.remaining()
                    + ", expected " + recordSize(seq));
        }
        for (int j = 8; j < size; j++) {
            if ((sample.get(j) & 0xff) != ((seq + j) & 0xff)) {
                throw new AssertionError("record " + seq + ": byte " + j + " is " + (sample.get(j) & 0xff));
            }
        }
        return seq;
    }
}
