package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer consumer against a real kernel ring buffer (one page, 4096 bytes) fed by the
 * {@code feed} syscall program, plus in-memory rings for the states a syscall program cannot
 * leave behind (a record still BUSY).
 */
class RingBufferTest {
    private BpfObject obj;
    private BpfProgram feed;
    private BpfMap map;

    @BeforeEach
    void load() {
        obj = TestBpf.feedObject();
        obj.load();
        feed = obj.program("feed");
        map = obj.map("feed_rb");
    }

    @AfterEach
    void close() {
        map.close();
        obj.close();
    }

    private static int slot(int sampleLen) {
        return (8 + sampleLen + 7) & ~7;
    }

    @Test
    void deliversVaryingSizesInOrderAcrossManyWrapArounds() {
        try (RingBuffer rb = RingBuffer.open(map)) {
            assertThat(rb.size()).isEqualTo(4096);
            Random rnd = new Random(7);
            int seq = 0;
            int expected = 0;
            int straddling = 0;
            long pos = rb.consumerPos();
            for (int round = 0; round < 400; round++) {
                int n = 1 + rnd.nextInt(12); // at most 12 x 264 bytes: always fits the empty ring
                TestBpf.FeedResult r = TestBpf.feed(feed, n, seq, 0);
                assertThat(r.written()).isEqualTo(n);
                assertThat(r.failed()).isZero();
                for (int s = seq; s < seq + n; s++) {
                    long idx = pos & 4095;
                    if (idx + 8 + TestBpf.recordSize(s) > 4096) {
                        straddling++;
                    }
                    pos += slot(TestBpf.recordSize(s));
                }
                seq = r.nextSeq();
                List<Integer> got = new ArrayList<>();
                int handed = rb.drain(b -> got.add(TestBpf.checkRecord(b)));
                assertThat(handed).isEqualTo(n);
                for (int i = 0; i < n; i++) {
                    assertThat(got.get(i)).isEqualTo(expected++);
                }
                assertThat(rb.pending()).isZero();
                assertThat(rb.consumerPos()).isEqualTo(pos);
            }
            // The point of the double mapping: records crossing the end of the ring read whole.
            assertThat(straddling).isGreaterThan(20);
            assertThat(rb.consumerPos()).isGreaterThan(50L * 4096); // the ring went round 50+ times
        }
    }

    @Test
    void skipsDiscardedRecords() {
        try (RingBuffer rb = RingBuffer.open(map)) {
            TestBpf.FeedResult r = TestBpf.feed(feed, 8, 100, 2); // 4 discarded reservations in between
            assertThat(r.written()).isEqualTo(8);
            List<Integer> got = new ArrayList<>();
            assertThat(rb.drain(b -> got.add(TestBpf.checkRecord(b)))).isEqualTo(8);
            assertThat(got).containsExactly(100, 101, 102, 103, 104, 105, 106, 107);
            assertThat(rb.pending()).isZero();
        }
    }

    @Test
    void aFullRingRefusesNewRecordsAndDeliversThoseThatFit() {
        try (RingBuffer rb = RingBuffer.open(map)) {
            TestBpf.FeedResult r = TestBpf.feed(feed, 100, 0, 0);
            assertThat(r.failed()).isPositive();
            assertThat(r.written() + r.failed()).isEqualTo(100);
            List<Integer> got = new ArrayList<>();
            assertThat(rb.drain(b -> got.add(TestBpf.checkRecord(b)))).isEqualTo(r.written());
            assertThat(got).isSorted().doesNotHaveDuplicates();
            // space is back once released
            assertThat(TestBpf.feed(feed, 5, 1000, 0).written()).isEqualTo(5);
            assertThat(rb.drain(TestBpf::checkRecord)).isEqualTo(5);
        }
    }

    @Test
    void drainHonoursMaxAndTheNextConsumerResumesAtTheReleasedPosition() {
        TestBpf.feed(feed, 6, 10, 0);
        List<Integer> got = new ArrayList<>();
        try (RingBuffer first = RingBuffer.open(map)) {
            assertThat(first.drain(b -> got.add(TestBpf.checkRecord(b)), 2)).isEqualTo(2);
        }
        // consumer_pos lives in the map, so a new consumer (a restarted daemon) continues there
        try (RingBuffer second = RingBuffer.open(map)) {
            assertThat(second.drain(b -> got.add(TestBpf.checkRecord(b)))).isEqualTo(4);
        }
        assertThat(got).containsExactly(10, 11, 12, 13, 14, 15);
    }

    @Test
    void aRecordWhoseHandlerThrowsIsDeliveredAgain() {
        TestBpf.feed(feed, 3, 0, 0);
        try (RingBuffer rb = RingBuffer.open(map)) {
            List<Integer> got = new ArrayList<>();
            assertThatThrownBy(() -> rb.drain(b -> {
                int s = TestBpf.checkRecord(b);
                if (s == 1) {
                    throw new IllegalStateException("disk full");
                }
                got.add(s);
            })).hasMessage("disk full");
            rb.drain(b -> got.add(TestBpf.checkRecord(b)));
            assertThat(got).containsExactly(0, 1, 2);
        }
    }

    @Test
    void batchDrainCommitsOnceThenReleasesTheWholeBatch() {
        TestBpf.feed(feed, 5, 0, 0);
        try (RingBuffer rb = RingBuffer.open(map)) {
            List<Integer> got = new ArrayList<>();
            long[] pendingAtCommit = new long[1];
            int[] commits = new int[1];
            int n = rb.drain(4, b -> got.add(TestBpf.checkRecord(b)), () -> {
                commits[0]++;
                pendingAtCommit[0] = rb.pending(); // nothing released before the commit
            });
            assertThat(n).isEqualTo(4);
            assertThat(commits[0]).isEqualTo(1);
            assertThat(pendingAtCommit[0]).isGreaterThan(0);
            long total = 0;
            for (int s = 0; s < 5; s++) {
                total += slot(TestBpf.recordSize(s));
            }
            assertThat(pendingAtCommit[0]).isEqualTo(total);
            assertThat(rb.pending()).isEqualTo(slot(TestBpf.recordSize(4)));

            // a failing commit releases nothing: the batch comes again
            assertThatThrownBy(() -> rb.drain(10, TestBpf::checkRecord, () -> {
                throw new IllegalStateException("fsync failed");
            })).hasMessage("fsync failed");
            assertThat(rb.pending()).isEqualTo(slot(TestBpf.recordSize(4)));

            // a failing handler: earlier records of the batch are committed and released
            TestBpf.feed(feed, 2, 5, 0);
            assertThatThrownBy(() -> rb.drain(10, b -> {
                int s = TestBpf.checkRecord(b);
                if (s == 6) {
                    throw new IllegalStateException("bad record");
                }
                got.add(s);
            }, () -> commits[0]++)).hasMessage("bad record");
            assertThat(commits[0]).isEqualTo(2);
            assertThat(rb.drain(10, b -> got.add(TestBpf.checkRecord(b)), () -> commits[0]++)).isEqualTo(1);
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6);
            // nothing to release: no commit
            assertThat(rb.drain(10, b -> got.add(-1), () -> commits[0]++)).isZero();
            assertThat(commits[0]).isEqualTo(3);
        }
    }

    @Test
    void samplesAreReadOnlyLittleEndianSlices() {
        TestBpf.feed(feed, 1, 0x01020304, 0);
        try (RingBuffer rb = RingBuffer.open(map)) {
            rb.drain(b -> {
                assertThat(b.position()).isZero();
                assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
                assertThat(b.getInt(0)).isEqualTo(0x01020304);
                assertThat(b.isReadOnly()).isTrue();
                assertThatThrownBy(() -> b.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
            });
        }
    }

    @Test
    void pollTimesOutWhenEmptyReturnsAtOnceWithDataAndWakesUp() throws Exception {
        try (RingBuffer rb = RingBuffer.open(map)) {
            long t0 = System.nanoTime();
            assertThat(rb.poll(100)).isFalse();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));

            TestBpf.feed(feed, 2, 0, 0);
            t0 = System.nanoTime();
            assertThat(rb.poll(5000)).isTrue();
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(rb.pollAndDrain(0, TestBpf::checkRecord)).isEqualTo(2);

            // a blocked poll is woken by the kernel when a record is committed
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> rb.poll(10_000));
            Thread.sleep(200);
            TestBpf.feed(feed, 1, 50, 0);
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(rb.drain(TestBpf::checkRecord)).isEqualTo(1);

            // and by wakeup() from another thread
            CompletableFuture<Boolean> sleeper = CompletableFuture.supplyAsync(() -> rb.poll(-1));
            Thread.sleep(200);
            rb.wakeup();
            assertThat(sleeper.get(5, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void refusesMapsThatAreNotRingBuffers() {
        try (BpfMap hash = obj.map("feed_hash")) {
            assertThatThrownBy(() -> RingBuffer.open(hash)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("feed_hash").hasMessageContaining("not a ringbuf");
        }
    }

    // ---- in-memory rings: states the kernel cannot be made to hold from a test --------------

    /** A 64-byte ring in memory, data area mapped "twice" by writing both halves. */
    private static final class FakeRing {
        final int size = 64;
        final ByteBuffer cons = aligned(8);
        final ByteBuffer prod = aligned(8);
        final ByteBuffer data = aligned(128);
        long prodPos;

        static ByteBuffer aligned(int n) {
            return ByteBuffer.allocateDirect(n + 8).alignedSlice(8).limit(n).slice().order(ByteOrder.nativeOrder());
        }

        void put(long pos, byte b) {
            int i = (int) (pos & (size - 1));
            data.put(i, b);
            data.put(i + size, b);
        }

        /** Appends a record with header flags (bit 31 busy, bit 30 discard) and payload bytes. */
        void append(int flags, byte... payload) {
            int len = payload.length | flags;
            for (int k = 0; k < 4; k++) {
                put(prodPos + k, (byte) (len >>> (8 * k)));
            }
            for (int k = 0; k < payload.length; k++) {
                put(prodPos + 8 + k, payload[k]);
            }
            prodPos += (8 + payload.length + 7) & ~7;
            prod.putLong(0, prodPos);
        }

        RingBuffer consumer() {
            return new RingBuffer("fake", cons, prod, data, size);
        }
    }

    @Test
    void stopsAtABusyRecordAndResumesOnceItIsCommitted() {
        FakeRing f = new FakeRing();
        f.append(0, (byte) 1, (byte) 2);
        long busyAt = f.prodPos;
        f.append(1 << 31, (byte) 3);
        f.append(0, (byte) 4);
        try (RingBuffer rb = f.consumer()) {
            List<Byte> got = new ArrayList<>();
            assertThat(rb.drain(b -> got.add(b.get(0)))).isEqualTo(1);
            assertThat(rb.consumerPos()).isEqualTo(busyAt);
            f.put(busyAt + 3, (byte) 0); // producer commits: clears BUSY
            assertThat(rb.drain(b -> got.add(b.get(0)))).isEqualTo(2);
            assertThat(got).containsExactly((byte) 1, (byte) 3, (byte) 4);
            assertThat(rb.pending()).isZero();
        }
    }

    @Test
    void readsARecordThatWrapsAsOneBlockAndSkipsDiscards() {
        FakeRing f = new FakeRing();
        f.prodPos = 40; // start near the end of the 64-byte ring
        f.cons.putLong(0, 40);
        f.append(1 << 30, new byte[4]); // discarded, occupies 40..56
        byte[] big = new byte[20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i + 1);
        }
        f.append(0, big); // header at 56..64, payload wraps to 0..20
        try (RingBuffer rb = f.consumer()) {
            List<byte[]> got = new ArrayList<>();
            rb.drain(b -> {
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                got.add(copy);
            });
            assertThat(got).hasSize(1);
            assertThat(got.get(0)).isEqualTo(big);
            assertThat(rb.consumerPos()).isEqualTo(f.prodPos);
        }
    }
}
