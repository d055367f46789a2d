package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins on a bpffs mounted in a temporary directory: the lifecycle a daemon goes through (fresh
 * attach, SIGKILL-like loss of every handle, adopt, unload). The attached program is the test
 * object's raw tracepoint on task_rename, which only counts renames of this JVM's threads (the
 * host kernel allows raw tracepoints; nothing enforcing is attached here).
 */
class BpfPinsTest {
    @TempDir
    Path tmp;
    private Path fs;
    private BpfPins pins;

    @BeforeEach
    void mount() throws IOException {
        fs = Files.createDirectory(tmp.resolve("bpffs"));
        BpfPins.mountBpffs(fs);
        pins = new BpfPins(fs.resolve("tomoyoctl"));
    }

    @AfterEach
    void unmount() {
        BpfPins.unmount(fs);
    }

    private static BpfObject configured() {
        BpfObject o = TestBpf.feedObject();
        o.setGlobal("feed_target_tgid", (int) ProcessHandle.current().pid());
        return o;
    }

    /** Renames this thread (fires task_rename), then restores its name. */
    private static void renameThisThread() throws IOException {
        Path comm = Path.of("/proc/thread-self/comm");
        String old = Files.readString(comm).strip();
        Files.writeString(comm, "tmy-rename");
        Files.writeString(comm, old);
    }

    private static long renames(BpfMap array) {
        return Bytes.getU64(array.lookup(Bytes.u32(0)).orElseThrow(), 0);
    }

    @Test
    void pinnedStateOutlivesEveryHandleIsAdoptedAndUnloads() throws Exception {
        BpfMap counter;
        try (BpfObject o = configured()) {
            pins.prepare(o);
            o.load();
            Map<String, BpfLink> links = pins.attachAndPin(o);
            assertThat(links).containsOnlyKeys("count_rename"); // the syscall program is not attachable
            assertThat(pins.pinnedLinkNames()).containsExactly("count_rename");
            assertThat(pins.pinnedMapNames()).containsExactlyInAnyOrder("feed_rb", "feed_count", "feed_hash",
                    "feed_array", "feed_tasks");
            counter = o.map("feed_array");
            try (BpfMap hash = o.map("feed_hash")) {
                hash.update(new byte[16], Bytes.u64(777));
            }
            TestBpf.feed(o.program("feed"), 3, 0, 0); // three records wait in the pinned ring
            renameThisThread();
            assertThat(renames(counter)).isEqualTo(2);
            links.values().forEach(BpfLink::close);
        }
        // Every handle of the "old daemon" is gone except our counter map: the pinned link keeps
        // the program attached.
        renameThisThread();
        assertThat(renames(counter)).isEqualTo(4);

        try (BpfPins.Adopted adopted = pins.adopt()) {
            LinkInfo info = adopted.attached().get("count_rename");
            assertThat(info.programKernelName()).isEqualTo("count_rename");
            assertThat(info.programTypeName()).isEqualTo("raw_tracepoint");
            assertThat(info.typeName()).isEqualTo("raw_tracepoint");
            assertThat(Bytes.getU64(adopted.map("feed_hash").lookup(new byte[16]).orElseThrow(), 0)).isEqualTo(777);
            assertThat(renames(adopted.map("feed_array"))).isEqualTo(4);
            // the pinned ring buffer still holds the records written before the "restart"
            try (RingBuffer rb = RingBuffer.open(adopted.map("feed_rb"))) {
                List<Integer> got = new ArrayList<>();
                rb.drain(b -> got.add(TestBpf.checkRecord(b)));
                assertThat(got).containsExactly(0, 1, 2);
            }
            assertThatThrownBy(() -> adopted.map("nope")).isInstanceOf(BpfNotFoundException.class);
        }

        // a second attach on top of pinned links is refused
        try (BpfObject again = configured()) {
            pins.prepare(again);
            again.load();
            assertThatThrownBy(() -> pins.attachAndPin(again)).isInstanceOf(BpfException.class)
                    .hasMessageContaining("already pinned");
            // ... and the maps were reused from the pins, not created anew
            try (BpfMap hash = again.map("feed_hash")) {
                assertThat(Bytes.getU64(hash.lookup(new byte[16]).orElseThrow(), 0)).isEqualTo(777);
            }
        }

        List<Path> removed = pins.unload();
        assertThat(removed).hasSize(6);
        assertThat(Files.exists(pins.root())).isFalse();
        renameThisThread();
        assertThat(renames(counter)).isEqualTo(4); // detached: no more counting
        counter.close();
        assertThatThrownBy(pins::adopt).isInstanceOf(BpfNotFoundException.class);
    }

    @Test
    void linksAndMapsPinAndOpenIndividually() throws Exception {
        pins.createDirectories();
        try (BpfObject o = configured()) {
            o.load();
            try (BpfLink link = o.attach("count_rename"); BpfMap array = o.map("feed_array")) {
                Path lp = pins.linkPin("by-hand");
                link.pin(lp);
                assertThat(link.pinPath()).contains(lp);
                array.pin(pins.mapPin("array"));
                try (BpfLink opened = BpfLink.openPinned(lp); BpfMap again = BpfMap.openPinned(pins.mapPin("array"))) {
                    assertThat(opened.info().programId()).isEqualTo(link.info().programId());
                    assertThat(again.info().id()).isEqualTo(array.info().id());
                    assertThat(again.name()).isEqualTo("array");
                }
                link.unpin();
                assertThat(Files.exists(lp)).isFalse();
                assertThat(link.pinPath()).isEmpty();
            }
        }
        // an unpinned link detaches when its last handle closes
        try (BpfMap array = BpfMap.openPinned(pins.mapPin("array"))) {
            long before = renames(array);
            renameThisThread();
            assertThat(renames(array)).isEqualTo(before);
        }
    }

    @Test
    void missingPinsAndWrongFileSystemsAreNamed() {
        assertThatThrownBy(() -> BpfMap.openPinned(fs.resolve("nope"))).isInstanceOf(BpfNotFoundException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> BpfLink.openPinned(fs.resolve("nolink"))).isInstanceOf(BpfNotFoundException.class)
                .hasMessageContaining("nolink");
        BpfPins notBpf = new BpfPins(tmp.resolve("plain/tomoyoctl"));
        assertThatThrownBy(notBpf::createDirectories).isInstanceOf(BpfNotSupportedException.class)
                .hasMessageContaining("not bpf");
        assertThatThrownBy(() -> pins.linkPin("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPinnedMapWithADifferentDefinitionIsNotSilentlyReused() throws Exception {
        pins.createDirectories();
        try (BpfObject o = configured()) {
            o.setMaxEntries("feed_hash", 10);
            pins.prepare(o);
            o.load();
        }
        try (BpfObject o = configured()) {
            pins.prepare(o); // feed_hash pinned with max_entries 10, the object says 64
            assertThatThrownBy(o::load).isInstanceOf(BpfException.class)
                    .satisfies(e -> assertThat(((BpfException) e).libbpfLog()).anyMatch(l -> l.contains("feed_hash")));
        }
        pins.unload();
    }
}
