package dev.tomoyoctl.loader;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's active LSM list. Why it matters: when {@code bpf} is not in it, BPF-LSM programs
 * load and attach successfully and then never run, so enforcement would silently be off. The
 * loader refuses to attach LSM programs in that case.
 */
public final class KernelLsm {
    public static final Path SECURITYFS = Path.of("/sys/kernel/security");
    public static final Path LSM_FILE = SECURITYFS.resolve("lsm");

    private KernelLsm() {}

    /**
     * The active LSMs in call order, e.g. [lockdown, capability, landlock, bpf]. Mounts securityfs
     * on /sys/kernel/security first if it is not mounted (as systemd does at boot). Empty when
     * the list cannot be read (no securityfs, not root).
     */
    public static Optional<List<String>> active() {
        if (!Files.isReadable(LSM_FILE) && Files.isDirectory(SECURITYFS)) {
            mountSecurityfs();
        }
        try {
            String s = Files.readString(LSM_FILE).strip();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(Arrays.asList(s.split(","))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True if "bpf" is in the active list; empty if the list cannot be read. */
    public static Optional<Boolean> bpfActive() {
        return active().map(l -> l.contains("bpf"));
    }

    /** Throws {@link BpfNotSupportedException} naming the active list when bpf is not in it. */
    public static void requireBpf() {
        Optional<List<String>> lsms = active();
        if (lsms.isPresent() && !lsms.get().contains("bpf")) {
            throw new BpfNotSupportedException("BPF-LSM is not active: " + LSM_FILE + " lists "
                    + String.join(",", lsms.get()) + " without bpf; LSM programs would attach and never run."
                    + " Boot with lsm=" + String.join(",", lsms.get()) + ",bpf (and CONFIG_BPF_LSM=y)");
        }
    }

    /** mount -t securityfs securityfs /sys/kernel/security; false if it failed. */
    public static boolean mountSecurityfs() {
        int rc = LibC.mount("securityfs", SECURITYFS.toString(), "securityfs", 0, null);
        return rc == 0 || Native.getLastError() == Errno.EBUSY;
    }
}
