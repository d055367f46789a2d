package dev.tomoyoctl.policy.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which "file mount" rules compare the device. TOMOYO (tomoyo_mount_acl) ignores DEV for
 * --remount and --make-*, and for a filesystem type without FS_REQUIRES_DEV; it compares DEV's
 * realpath for --bind, --move and every type that needs a block device. The kernel program
 * cannot ask the kernel which types need a device (get_fs_type is not callable from BPF), so the
 * compiler decides per rule: a type is device-less if this machine's /proc/filesystems marks it
 * "nodev" or if it is one of the well-known device-less types below (listed for types whose
 * module is not loaded yet). Any other type is compiled with its device compared: stricter than
 * TOMOYO if a device-less type is missing here, never looser.
 */
public final class MountTypes {
    private MountTypes() {}

    private static final Set<String> NODEV = load();

    private static Set<String> load() {
        Set<String> s = new HashSet<>(Set.of("sysfs", "tmpfs", "proc", "cgroup", "cgroup2", "cpuset", "devtmpfs",
                "configfs", "debugfs", "tracefs", "securityfs", "bpf", "ramfs", "hugetlbfs", "devpts", "mqueue",
                "pstore", "efivarfs", "autofs", "fuse", "fusectl", "virtiofs", "overlay", "binfmt_misc",
                "rpc_pipefs", "nfs", "nfs4", "nfsd", "cifs", "smb3", "9p", "ceph", "nsfs", "sockfs", "pipefs",
                "bdev", "selinuxfs", "aufs"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"), StandardCharsets.US_ASCII)) {
                String[] t = line.trim().split("\\s+");
                if (t.length == 2 && t[0].equals("nodev")) {
                    s.add(t[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the built-in list
        }
        return Set.copyOf(s);
    }

    /** Does TOMOYO ignore DEV for this TYPE word (a special operation or a device-less type)? */
    public static boolean ignoresDevice(String type) {
        if (type.equals("--remount") || type.startsWith("--make-")) {
            return true;
        }
        return !type.startsWith("--") && NODEV.contains(type);
    }

    /** Is DEV a path TOMOYO names by its realpath, a directory's with a '/' (--bind, --move)? */
    public static boolean deviceIsSource(String type) {
        return type.equals("--bind") || type.equals("--move");
    }
}
