package dev.tomoyoctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class OptionalHooksTest {
    static byte[] strings(String... names) {
        return ("\0" + String.join("\0", names) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void findsOnlyWholeNames() {
        byte[] btf = strings("bpf_lsm_file_open", "bpf_lsm_file_truncate_x", "xbpf_lsm_path_unlink");
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_file_open")).isTrue();
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_file_truncate")).isFalse();
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_path_unlink")).isFalse();
        assertThat(OptionalHooks.hasFunction(strings("bpf_lsm_file_truncate"), "bpf_lsm_file_truncate")).isTrue();
    }

    @Test
    void theHookOfAnLsmSectionWithOrWithoutTheQuestionMark() {
        // libbpf 1.x strips the '?' once it has set autoload off: both spellings reach here
        assertThat(OptionalHooks.hookOf("?lsm/file_truncate")).isEqualTo("file_truncate");
        assertThat(OptionalHooks.hookOf("lsm/file_truncate")).isEqualTo("file_truncate");
        assertThat(OptionalHooks.hookOf("raw_tp/sys_enter")).isNull();
        assertThat(OptionalHooks.hookOf(null)).isNull();
    }

    @Test
    void theShippedObjectsOptionalProgramIsFoundAndEnabledOnThisKernel() throws Exception {
        // the host (6.18) has file_truncate; opening the object needs no privilege
        java.nio.file.Path obj = java.nio.file.Path.of("..", "bpf", "target", "obj", "tomoyo.bpf.o");
        if (!Files.isRegularFile(obj) || !Files.isReadable(OptionalHooks.VMLINUX_BTF)) {
            return;
        }
        try (dev.tomoyoctl.loader.BpfObject o = dev.tomoyoctl.loader.BpfObject.open(obj)) {
            assertThat(o.program("tmy_file_truncate").autoload()).isFalse();
            assertThat(OptionalHooks.enable(o, OptionalHooks.VMLINUX_BTF)).containsExactly("tmy_file_truncate");
            assertThat(o.program("tmy_file_truncate").autoload()).isTrue();
        }
    }

    @Test
    void thisMachinesKernelBtfHasTheHooksWeAttach() throws Exception {
        // the host runs 6.18: every hook of tomoyo.bpf.o, file_truncate included, is there
        if (!Files.isReadable(OptionalHooks.VMLINUX_BTF)) {
            return;
        }
        byte[] btf = Files.readAllBytes(OptionalHooks.VMLINUX_BTF);
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_path_unlink")).isTrue();
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_file_truncate")).isTrue();
        assertThat(OptionalHooks.hasFunction(btf, "bpf_lsm_no_such_hook")).isFalse();
    }
}
