package dev.tomoyoctl.loader;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The guest side of the issue-2 smoke test, run as root inside vagrant/vmtest by
 * {@link SmokeLsmVmIT}: proves BPF-LSM is active, that smoke.bpf.o loads from the loader jar and
 * attaches from Java, that open() of one chosen inode by this process fails with EPERM while
 * other opens succeed, and that detaching restores access. Every result is one "SMOKE ..." line;
 * exit 0 = all as expected, 1 = a check failed, 2 = BPF-LSM is not available.
 */
public final class SmokeLsmGuest {
    private static boolean ok = true;

    private SmokeLsmGuest() {}

    public static void main(String[] args) throws Exception {
        say("kernel " + System.getProperty("os.version"));
        say("libbpf " + BpfObject.libbpfVersion());
        List<String> lsms = KernelLsm.active().orElse(List.of());
        say("lsm " + String.join(",", lsms));
        if (!lsms.contains("bpf")) {
            say("FAIL bpf is not an active LSM");
            System.exit(2);
        }

        // The files live on a tmpfs of our own: on overlayfs (the guest's / and maybe /tmp) the
        // inode that stat reports is not the one file_open sees.
        Path dir = Files.createTempDirectory("tomoyoctl-smoke");
        if (LibC.mount("tmpfs", dir.toString(), "tmpfs", 0, null) != 0) {
            say("FAIL mount tmpfs on " + dir + ": " + Errno.describe(com.sun.jna.Native.getLastError()));
            System.exit(1);
        }
        Path denied = Files.writeString(dir.resolve("denied.txt"), "secret\n");
        Path other = Files.writeString(dir.resolve("other.txt"), "public\n");
        say("files on " + Files.getFileStore(dir).type() + ": " + denied + " " + other);
        long ino = (Long) Files.getAttribute(denied, "unix:ino");
        long kdev = kernelDev((Long) Files.getAttribute(denied, "unix:dev"));

        long pid = ProcessHandle.current().pid();
        try (BpfObject obj = BpfObject.openResource("dev/tomoyoctl/bpf/smoke.bpf.o")) {
            obj.setGlobal("target_tgid", (int) pid);
            obj.load();
            say("loaded smoke.bpf.o from the class path, target_tgid=" + pid);
            try (BpfMap target = obj.map("smoke_target"); BpfMap counts = obj.map("smoke_counts")) {
                target.update(Bytes.u32(0), Bytes.u64(ino));
                target.update(Bytes.u32(1), Bytes.u64(kdev));
                say("target inode " + ino + " dev " + Long.toHexString(kdev));

                BpfLink link = obj.attach("smoke_file_open");
                say("attached smoke_file_open (" + link.info().typeName() + "/" + link.info().attachTypeName() + ")");
                check("denied file while attached", denied, false);
                check("other file while attached", other, true);
                link.close();
                say("detached");
                check("denied file after detach", denied, true);

                long runs = Bytes.getU64(counts.lookup(Bytes.u32(0)).orElseThrow(), 0);
                long denials = Bytes.getU64(counts.lookup(Bytes.u32(1)).orElseThrow(), 0);
                say("hook ran " + runs + " times, denied " + denials);
                if (runs == 0 || denials == 0) {
                    fail("the hook did not run or did not deny");
                }
            }
        }
        LibC.umount2(dir.toString(), 2 /* MNT_DETACH */);
        say(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** stat's st_dev (glibc encoding) to the kernel's dev_t (MKDEV: major << 20 | minor). */
    static long kernelDev(long stDev) {
        long major = ((stDev >>> 8) & 0xfff) | ((stDev >>> 32) & ~0xfffL);
        long minor = (stDev & 0xff) | ((stDev >>> 12) & ~0xffL);
        return (major << 20) | minor;
    }

    private static void check(String what, Path file, boolean expectOpen) {
        String result;
        boolean opened;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            in.read();
            opened = true;
            result = "ok";
        } catch (IOException e) {
            opened = false;
            result = e.getMessage().contains("Operation not permitted") ? "EPERM (Operation not permitted)"
                    : "error: " + e.getMessage();
        }
        say("open " + what + ": " + result);
        if (opened != expectOpen || (!opened && !result.startsWith("EPERM"))) {
            fail("open " + what + " expected " + (expectOpen ? "ok" : "EPERM"));
        }
    }

    private static void fail(String why) {
        ok = false;
        say("FAIL " + why);
    }

    private static void say(String line) {
        System.out.println("SMOKE " + line);
        System.out.flush();
    }
}
