package dev.tomoyoctl.daemon;

import dev.tomoyoctl.loader.BpfObject;
import dev.tomoyoctl.loader.BpfProgram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Programs on LSM hooks that only some kernels have are in "?lsm/HOOK" sections (libbpf leaves
 * them out of the load unless asked): tomoyo.bpf.o's tmy_file_truncate, on file_truncate, which
 * 6.2 added (ftruncate and open(O_TRUNC) moved there from path_truncate). Loading a program whose
 * hook the kernel lacks fails the whole object, so each one is switched on only when the running
 * kernel's BTF has the hook's function bpf_lsm_HOOK.
 */
final class OptionalHooks {
    private static final Logger LOG = Logger.getLogger(OptionalHooks.class.getName());
    static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final String LSM = "lsm/";

    private OptionalHooks() {
    }

    /** Enables the optional programs whose hook the kernel has; returns the names enabled. */
    static List<String> enable(BpfObject obj, Path vmlinuxBtf) throws IOException {
        List<String> enabled = new ArrayList<>();
        byte[] btf = null;
        for (String name : obj.programNames()) {
            BpfProgram p = obj.program(name);
            if (p.autoload()) {
                continue;
            }
            String hook = hookOf(p.sectionName());
            if (hook == null) {
                continue;
            }
            if (btf == null) {
                btf = Files.readAllBytes(vmlinuxBtf);
            }
            if (hasFunction(btf, "bpf_lsm_" + hook)) {
                p.setAutoload(true);
                enabled.add(name);
            } else {
                LOG.info("program " + name + " not loaded: this kernel has no LSM hook " + hook);
            }
        }
        return enabled;
    }

    /**
     * "file_truncate" for "lsm/file_truncate" or "?lsm/file_truncate", null for a section that is
     * not an LSM one. libbpf drops the '?' from the section name once it has turned autoload off,
     * so {@link #enable} asks this only of programs whose autoload is off.
     */
    static String hookOf(String section) {
        if (section == null) {
            return null;
        }
        String s = section.startsWith("?") ? section.substring(1) : section;
        return s.startsWith(LSM) ? s.substring(LSM.length()) : null;
    }

    /**
     * Whether the BTF blob's string section holds exactly `name` (NUL on both sides). Every
     * bpf_lsm_* function is a BTF FUNC of that name, and no other kind of BTF entry is named so.
     */
    static boolean hasFunction(byte[] btf, String name) {
        byte[] want = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + want.length <= btf.length; i++) {
            for (int j = 0; j < want.length; j++) {
                if (btf[i + j] != want[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
