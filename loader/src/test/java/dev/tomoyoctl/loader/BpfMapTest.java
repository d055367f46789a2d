package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Map operations against maps the host kernel creates. */
class BpfMapTest {
    private BpfObject obj;

    @BeforeEach
    void load() {
        obj = TestBpf.feedObject();
        obj.load();
    }

    @AfterEach
    void close() {
        obj.close();
    }

    /** struct feed_key {u64 a; u32 b; u32 _pad}. */
    private static byte[] key(long a, int b) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putInt(b).putInt(0).array();
    }

    @Test
    void hashMapCrudWithUpdateFlags() {
        try (BpfMap m = obj.map("feed_hash")) {
            assertThat(m.keySize()).isEqualTo(16);
            assertThat(m.valueSize()).isEqualTo(8);
            assertThat(m.info().typeName()).isEqualTo("hash");
            assertThat(m.lookup(key(1, 2))).isEmpty();

            m.update(key(1, 2), Bytes.u64(42), UpdateFlag.NOEXIST);
            assertThat(m.lookup(key(1, 2))).hasValueSatisfying(v -> assertThat(Bytes.getU64(v, 0)).isEqualTo(42));

            assertThatThrownBy(() -> m.update(key(1, 2), Bytes.u64(43), UpdateFlag.NOEXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                    .hasMessageContaining("feed_hash").hasMessageContaining("EEXIST");
            assertThatThrownBy(() -> m.update(key(9, 9), Bytes.u64(1), UpdateFlag.EXIST))
                    .isInstanceOf(BpfNotFoundException.class).hasMessageContaining("feed_hash");

            m.update(key(1, 2), Bytes.u64(44), UpdateFlag.EXIST);
            byte[] v = new byte[8];
            assertThat(m.lookupInto(key(1, 2), v)).isTrue();
            assertThat(Bytes.getU64(v, 0)).isEqualTo(44);

            assertThat(m.delete(key(1, 2))).isTrue();
            assertThat(m.delete(key(1, 2))).isFalse();
            assertThat(m.lookup(key(1, 2))).isEmpty();
        }
    }

    @Test
    void wrongKeyAndValueSizesNameTheMap() {
        try (BpfMap m = obj.map("feed_hash")) {
            assertThatThrownBy(() -> m.lookup(new byte[12]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'feed_hash': key is 12 bytes, the map needs 16");
            assertThatThrownBy(() -> m.update(key(1, 1), new byte[4]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'feed_hash': value is 4 bytes, the map needs 8");
        }
    }

    @Test
    void fullHashMapSaysE2big() {
        try (BpfMap m = obj.map("feed_hash")) {
            for (int i = 0; i < m.maxEntries(); i++) {
                m.update(key(i, 0), Bytes.u64(i));
            }
            assertThatThrownBy(() -> m.update(key(1000, 0), Bytes.u64(0)))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG));
        }
    }

    @Test
    void iteratesKeysAndEntries() {
        try (BpfMap m = obj.map("feed_hash")) {
            for (int i = 0; i < 20; i++) {
                m.update(key(i, i * 2), Bytes.u64(i * 10L));
            }
            List<byte[]> keys = m.keys();
            assertThat(keys).hasSize(20);
            List<Long> as = new ArrayList<>();
            keys.forEach(k -> as.add(Bytes.getU64(k, 0)));
            assertThat(as).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.range(0, 20).boxed().toList());
            for (BpfMap.Entry e : m.entries()) {
                assertThat(Bytes.getU64(e.value(), 0)).isEqualTo(Bytes.getU64(e.key(), 0) * 10);
                assertThat(Bytes.getU32(e.key(), 8)).isEqualTo((int) Bytes.getU64(e.key(), 0) * 2);
            }
        }
    }

    @Test
    void batchUpdateAndDelete() {
        try (BpfMap m = obj.map("feed_hash")) {
            List<BpfMap.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                entries.add(new BpfMap.Entry(key(i, 7), Bytes.u64(i + 100L)));
            }
            m.updateBatch(entries.subList(0, 20), UpdateFlag.ANY);
            m.updateBatch(entries.subList(20, 30), UpdateFlag.NOEXIST);
            assertThat(m.keys()).hasSize(30);
            assertThat(Bytes.getU64(m.lookup(key(29, 7)).orElseThrow(), 0)).isEqualTo(129);
            assertThatThrownBy(() -> m.updateBatch(entries.subList(0, 2), UpdateFlag.NOEXIST))
                    .isInstanceOf(BpfException.class).hasMessageContaining("feed_hash")
                    .hasMessageContaining("after 0 of 2").hasMessageContaining("EEXIST");

            List<byte[]> del = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                del.add(key(i, 7));
            }
            assertThat(m.deleteBatch(del)).isEqualTo(10);
            assertThat(m.keys()).hasSize(20);
            // a missing key among them: the present ones still go
            del.clear();
            del.add(key(10, 7));
            del.add(key(999, 7));
            del.add(key(11, 7));
            assertThat(m.deleteBatch(del)).isEqualTo(2);
            assertThat(m.keys()).hasSize(18);
        }
    }

    @Test
    void arrayMapHasEveryIndexAndCannotDelete() {
        try (BpfMap m = obj.map("feed_array")) {
            assertThat(m.keys()).hasSize(4);
            assertThat(Bytes.getU64(m.lookup(Bytes.u32(3)).orElseThrow(), 0)).isZero();
            m.update(Bytes.u32(3), Bytes.u64(-1L));
            assertThat(Bytes.getU64(m.lookup(Bytes.u32(3)).orElseThrow(), 0)).isEqualTo(-1L);
            assertThat(m.lookup(Bytes.u32(4))).isEmpty();
            assertThatThrownBy(() -> m.delete(Bytes.u32(0))).isInstanceOf(BpfException.class)
                    .hasMessageContaining("feed_array");
        }
    }

    @Test
    void perCpuArraySumsOverPossibleCpus() {
        try (BpfMap m = obj.map("feed_count")) {
            assertThat(m.isPerCpu()).isTrue();
            int cpus = BpfMap.possibleCpus();
            assertThat(m.lookupPerCpu(Bytes.u32(0)).orElseThrow()).hasNumberOfRows(cpus);
            // seed every CPU's slot so the sum must add all of them, not just the one the runs hit
            byte[] seed = new byte[8 * cpus];
            for (int c = 0; c < cpus; c++) {
                seed[8 * c] = (byte) (c + 1);
            }
            m.update(Bytes.u32(0), seed);
            long seeded = (long) cpus * (cpus + 1) / 2;
            assertThat(m.sumPerCpu(0)).isEqualTo(seeded);
            BpfProgram feed = obj.program("feed");
            TestBpf.FeedResult r1 = TestBpf.feed(feed, 7, 0, 0);
            TestBpf.FeedResult r2 = TestBpf.feed(feed, 9, 7, 0);
            // the one-page ring holds them all: 16 records of at most 264 bytes would not, so count
            assertThat(m.sumPerCpu(0)).isEqualTo(seeded + r1.written() + r2.written());
            assertThat(m.sumPerCpu(1)).isZero();
            assertThatThrownBy(() -> m.update(Bytes.u32(0), Bytes.u64(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per-CPU");
        }
        try (BpfMap plain = obj.map("feed_array")) {
            assertThatThrownBy(() -> plain.sumPerCpu(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not per-CPU");
        }
    }

    @Test
    void taskStorageByPidfd() throws Exception {
        long self = ProcessHandle.current().pid();
        Process child = new ProcessBuilder("sleep", "30").start();
        try (BpfMap m = obj.map("feed_tasks")) {
            assertThat(m.info().typeName()).isEqualTo("task_storage");
            assertThat(m.lookupTask(self)).isEmpty();
            byte[] mine = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(self).putLong(1).array();
            byte[] its = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(child.pid()).putLong(2).array();
            m.updateTask(self, mine, UpdateFlag.NOEXIST);
            m.updateTask(child.pid(), its, UpdateFlag.ANY);
            assertThat(m.lookupTask(self)).hasValue(mine);
            try (PidFd p = PidFd.open(child.pid())) {
                assertThat(m.lookupTask(p)).hasValue(its);
                assertThat(m.deleteTask(p)).isTrue();
                assertThat(m.lookupTask(p)).isEmpty();
            }
            assertThat(m.deleteTask(self)).isTrue();
            assertThat(m.deleteTask(self)).isFalse();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> PidFd.open(child.pid())).isInstanceOf(BpfNotFoundException.class)
                .hasMessageContaining("ESRCH");
    }

    @Test
    void handlesOwnTheirFdAndOutliveTheObject() {
        BpfMap m = obj.map("feed_array");
        obj.close();
        try (m) {
            m.update(Bytes.u32(1), Bytes.u64(5));
            assertThat(Bytes.getU64(m.lookup(Bytes.u32(1)).orElseThrow(), 0)).isEqualTo(5);
        }
        assertThatThrownBy(() -> m.lookup(Bytes.u32(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
