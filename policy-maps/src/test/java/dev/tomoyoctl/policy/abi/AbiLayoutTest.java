package dev.tomoyoctl.policy.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks every Java ABI record against the BTF of the built BPF object: struct size, every
 * field's offset and size, and that no C member is missing on the Java side. The object is
 * bpf/target/obj/tomoyo.bpf.o (system property tomoyoctl.abi.object overrides it, e.g. to check
 * an object built from a test C file); a missing object is a failure, not a skip: the ABI must be
 * checked in every build.
 */
class AbiLayoutTest {
    static final String PROPERTY = "tomoyoctl.abi.object";
    static BtfReader btf;
    static Path object;

    static Path objectPath() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isEmpty()) {
            return Path.of(p);
        }
        // Surefire runs in the module directory; the BPF build puts objects in bpf/target/obj.
        return Path.of("..", "bpf", "target", "obj", "tomoyo.bpf.o").toAbsolutePath().normalize();
    }

    @BeforeAll
    static void readObject() throws Exception {
        object = objectPath();
        if (!Files.isRegularFile(object)) {
            fail("BPF object " + object + " does not exist: build bpf/ first (make -C bpf), or point -D" + PROPERTY
                    + " at an object whose BTF has the tomoyo_abi.h structs");
        }
        btf = BtfReader.read(object);
    }

    @Test
    void everyRecordMatchesItsBtfStruct() {
        List<String> problems = new ArrayList<>();
        for (AbiLayout layout : AbiStructs.ALL) {
            BtfReader.Type st = btf.struct(layout.structName());
            if (st == null) {
                problems.add("struct " + layout.structName() + " is not in the BTF of " + object
                        + " (the BPF object must reference it)");
                continue;
            }
            if (st.sizeOrType() != layout.size()) {
                problems.add("sizeof(struct " + layout.structName() + ") = " + st.sizeOrType() + ", Java says "
                        + layout.size());
            }
            for (AbiField f : layout.fields()) {
                BtfReader.Member m = st.members().stream().filter(x -> x.name().equals(f.name())).findFirst()
                        .orElse(null);
                if (m == null) {
                    problems.add(layout.structName() + "." + f.name() + " is not a member in BTF");
                    continue;
                }
                if (m.bitfieldSize() != 0 || m.bitOffset() % 8 != 0) {
                    problems.add(layout.structName() + "." + f.name() + " is a bitfield or not byte aligned");
                    continue;
                }
                if (m.bitOffset() / 8 != f.offset()) {
                    problems.add(layout.structName() + "." + f.name() + " is at offset " + m.bitOffset() / 8
                            + ", Java says " + f.offset());
                }
                long size = btf.sizeOf(m.type());
                if (size != f.size()) {
                    problems.add(layout.structName() + "." + f.name() + " has size " + size + ", Java says " + f.size());
                }
            }
            for (BtfReader.Member m : st.members()) {
                if (layout.fields().stream().noneMatch(f -> f.name().equals(m.name()))) {
                    problems.add(layout.structName() + "." + m.name() + " exists in C but not in the Java record");
                }
            }
        }
        assertThat(problems).as("ABI layout differences between %s and the Java records", object).isEmpty();
    }

    @Test
    void enumsPresentInBtfHaveTheJavaValues() throws Exception {
        // clang emits an enum's BTF only when a type uses it; check those that are there.
        for (var field : Abi.class.getFields()) {
            if (field.getType() != int.class || !field.getName().startsWith("TMY_")) {
                continue;
            }
            Long v = btf.enumerator(field.getName());
            if (v != null) {
                assertThat(v).as(field.getName()).isEqualTo((long) field.getInt(null));
            }
        }
    }

    @Test
    void lpmFixedBitsCoverExactlyWhatPrecedesTheMatchedField() {
        // LPM prefixlen counts bits after the __u32 prefixlen; the fixed part must end where the
        // address / port starts, or a prefix would cover padding instead of the address.
        assertThat(Abi.TMY_INET_RANGE_FIXED_BITS).isEqualTo((TmyInetRangeKey.LAYOUT.field("addr").offset() - 4) * 8);
        assertThat(Abi.TMY_PORT_SET_FIXED_BITS).isEqualTo((TmyPortKey.LAYOUT.field("port").offset() - 4) * 8);
    }

    @Test
    void recordSizeConstantsAgreeWithLayouts() {
        assertThat(TmyProfile.SIZE).isEqualTo(TmyProfile.LAYOUT.size());
        assertThat(TmyEventHdr.SIZE).isEqualTo(TmyDomainEvent.LAYOUT.field("parent").offset());
        assertThat(TmyEventHdr.SIZE).isEqualTo(TmyAccessEvent.LAYOUT.field("object").offset());
        assertThat(AbiStructs.ALL).hasSize(27);
    }
}
