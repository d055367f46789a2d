package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open, configure, load, test-run on the host kernel (syscall programs load here). */
class BpfObjectTest {

    @Test
    void opensTheTestObjectFromTheClassPathAndListsItsProgramsAndMaps() {
        try (BpfObject o = TestBpf.feedObject()) {
            assertThat(o.name()).isEqualTo("ringbuf_feed");
            assertThat(o.programNames()).containsExactly("feed", "count_rename");
            assertThat(o.program("feed").sectionName()).isEqualTo("syscall");
            assertThat(o.program("feed").typeName()).isEqualTo("syscall");
            assertThat(o.program("count_rename").typeName()).isEqualTo("raw_tracepoint");
            assertThat(o.declaredMapNames()).containsExactlyInAnyOrder("feed_rb", "feed_count", "feed_hash", "feed_array",
                    "feed_tasks");
            // internal maps are named after the object (cut to 8 bytes) and the section
            assertThat(o.mapNames()).contains("ringbuf_.rodata", "ringbuf_.bss");
            assertThat(o.isLoaded()).isFalse();
        }
    }

    @Test
    void opensAnObjectFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("copy.bpf.o");
        try (var in = getClass().getClassLoader().getResourceAsStream(TestBpf.FEED)) {
            Files.write(file, in.readAllBytes());
        }
        try (BpfObject o = BpfObject.open(file)) {
            assertThat(o.name()).isEqualTo("copy");
            o.load();
            assertThat(o.program("feed").fd()).isPositive();
        }
    }

    @Test
    void rodataGlobalsSetBeforeLoadAreWhatTheProgramSees() {
        try (BpfObject o = TestBpf.feedObject()) {
            o.setGlobal("feed_magic", 0xC0FFEE).setGlobal("feed_wide", 0x1122334455667788L);
            assertThat(Bytes.getU32(o.getGlobal("feed_magic"), 0)).isEqualTo(0xC0FFEE);
            o.load();
            TestBpf.FeedResult r = TestBpf.feed(o.program("feed"), 0, 0, 0);
            assertThat(r.magic()).isEqualTo(0xC0FFEE);
            assertThat(r.wide()).isEqualTo(0x1122334455667788L);
            // read back from the kernel's frozen .rodata map
            assertThat(Bytes.getU64(o.getGlobal("feed_wide"), 0)).isEqualTo(0x1122334455667788L);
            assertThatThrownBy(() -> o.setGlobal("feed_magic", 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("frozen after load");
        }
    }

    @Test
    void unsetRodataKeepsTheCompiledInitialValue() {
        try (BpfObject o = TestBpf.feedObject()) {
            o.load();
            assertThat(TestBpf.feed(o.program("feed"), 0, 0, 0).magic()).isZero();
        }
    }

    @Test
    void bssGlobalsAreReadAndWrittenThroughTheirMapAfterLoad() {
        try (BpfObject o = TestBpf.feedObject()) {
            o.load();
            BpfProgram feed = o.program("feed");
            TestBpf.feed(feed, 0, 0, 0);
            TestBpf.feed(feed, 0, 0, 0);
            assertThat(Bytes.getU64(o.getGlobal("feed_runs"), 0)).isEqualTo(2);
            o.setGlobal("feed_runs", 100L);
            TestBpf.feed(feed, 0, 0, 0);
            assertThat(Bytes.getU64(o.getGlobal("feed_runs"), 0)).isEqualTo(101);
        }
    }

    @Test
    void globalsAreCheckedByNameAndSize() {
        try (BpfObject o = TestBpf.feedObject()) {
            assertThatThrownBy(() -> o.setGlobal("no_such_var", 1))
                    .isInstanceOf(BpfNotFoundException.class)
                    .hasMessageContaining("no_such_var").hasMessageContaining("feed_magic");
            assertThatThrownBy(() -> o.setGlobal("feed_magic", 1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'feed_magic' in .rodata is 4 bytes, got 8");
        }
    }

    @Test
    void theVerifierLogComesBackWithTheRejectedProgram() {
        try (BpfObject o = BpfObject.openResource(TestBpf.BAD)) {
            assertThatThrownBy(o::load).isInstanceOfSatisfying(VerifierException.class, e -> {
                assertThat(e.programName()).isEqualTo("bad_deref");
                assertThat(e.verifierLog()).contains("invalid mem access 'map_value_or_null'");
                assertThat(e.getMessage()).contains("bad_deref").contains("invalid mem access");
                assertThat(e.errno()).isEqualTo(Errno.EACCES);
                assertThat(e.libbpfLog()).anyMatch(l -> l.contains("BPF program load failed"));
            });
            assertThat(o.isLoaded()).isFalse();
        }
    }

    @Test
    void testRunOfASyscallProgramReturnsRetvalAndTheWrittenContext() {
        try (BpfObject o = TestBpf.feedObject()) {
            o.load();
            TestBpf.FeedResult r = TestBpf.feed(o.program("feed"), 5, 40, 0);
            assertThat(r.retval()).isEqualTo(5);
            assertThat(r.written()).isEqualTo(5);
            assertThat(r.nextSeq()).isEqualTo(45);
        }
    }

    @Test
    void namedThingsThatDoNotExistAreReportedWithWhatDoes() {
        assertThatThrownBy(() -> BpfObject.openResource("dev/tomoyoctl/nope.bpf.o"))
                .isInstanceOf(BpfNotFoundException.class).hasMessageContaining("nope.bpf.o");
        try (BpfObject o = TestBpf.feedObject()) {
            assertThatThrownBy(() -> o.program("nope")).isInstanceOf(BpfNotFoundException.class)
                    .hasMessageContaining("feed");
            assertThatThrownBy(() -> o.pinMap("nope", Path.of("/x"))).isInstanceOf(BpfNotFoundException.class)
                    .hasMessageContaining("feed_rb");
            assertThatThrownBy(() -> o.map("feed_rb")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not loaded");
        }
    }

    @Test
    void garbageIsNotAnObject() {
        assertThatThrownBy(() -> BpfObject.open(new byte[] {1, 2, 3, 4}, "garbage"))
                .isInstanceOf(BpfException.class).hasMessageContaining("garbage");
    }

    @Test
    void theSmokeLsmObjectShipsInTheJarAndIsRefusedCleanlyWhereLsmIsUnavailable() {
        // The host kernel here refuses LSM programs even to root; a kernel with BPF-LSM loads it.
        // Either way: never attached here (no enforcing programs on the host).
        try (BpfObject o = BpfObject.openResource("dev/tomoyoctl/bpf/smoke.bpf.o")) {
            o.setGlobal("target_tgid", (int) ProcessHandle.current().pid());
            try {
                o.load();
                assertThat(o.program("smoke_file_open").fd()).isPositive();
            } catch (BpfNotSupportedException e) {
                assertThat(e.getMessage()).contains("smoke_file_open").contains("lsm");
                assertThat(e.errno()).isEqualTo(Errno.EPERM);
            }
        }
    }

    @Test
    void aMapOfOneObjectCanBeReusedByAnother() {
        try (BpfObject a = TestBpf.feedObject(); BpfObject b = TestBpf.feedObject()) {
            a.load();
            try (BpfMap shared = a.map("feed_count")) {
                b.reuseMap("feed_count", shared);
                b.load();
                try (BpfMap inB = b.map("feed_count")) {
                    assertThat(inB.info().id()).isEqualTo(shared.info().id());
                }
                long before = shared.sumPerCpu(0);
                TestBpf.feed(b.program("feed"), 3, 0, 0); // b's program counts into a's map
                assertThat(shared.sumPerCpu(0)).isEqualTo(before + 3);
            }
        }
    }

    @Test
    void maxEntriesCanBeChangedBeforeLoad() {
        try (BpfObject o = TestBpf.feedObject()) {
            o.setMaxEntries("feed_rb", 1 << 16).setMaxEntries("feed_hash", 10);
            o.load();
            try (BpfMap rb = o.map("feed_rb"); BpfMap h = o.map("feed_hash")) {
                assertThat(rb.maxEntries()).isEqualTo(1 << 16);
                assertThat(h.maxEntries()).isEqualTo(10);
            }
            assertThatThrownBy(() -> o.setMaxEntries("feed_hash", 5)).isInstanceOf(IllegalStateException.class);
        }
    }
}
