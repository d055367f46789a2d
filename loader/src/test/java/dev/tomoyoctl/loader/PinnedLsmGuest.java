package dev.tomoyoctl.loader;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Guest side of {@link PinnedLsmVmIT}: enforcement outlives the JVM that set it up.
 * <ul>
 * <li>{@code attach}: mounts a tmpfs at {@link #DIR}, loads smoke.bpf.o (any process), pins its
 * maps and link under {@link #PINS}, checks the open is denied, then SIGKILLs itself (no
 * shutdown hook, no close: what a crashed daemon leaves).</li>
 * <li>{@code adopt}: a new JVM finds the open still denied, adopts the pins (the link names the
 * attached LSM program), unloads them, and finds the open allowed again.</li>
 * </ul>
 * "PIN ..." lines; exit 0 when everything held.
 */
public final class PinnedLsmGuest {
    static final Path DIR = Path.of("/run/tmy-pinned-test");
    static final Path PINS = Path.of("/sys/fs/bpf/tomoyoctl-pinned-test");
    private static boolean ok = true;

    private PinnedLsmGuest() {}

    public static void main(String[] args) throws Exception {
        BpfPins pins = new BpfPins(PINS);
        Path denied = DIR.resolve("denied.txt");
        if (args.length == 1 && args[0].equals("attach")) {
            Files.createDirectories(DIR);
            if (LibC.mount("tmpfs", DIR.toString(), "tmpfs", 0, null) != 0) {
                say("FAIL mount tmpfs: " + Errno.describe(com.sun.jna.Native.getLastError()));
                System.exit(1);
            }
            Files.writeString(denied, "secret\n");
            long ino = (Long) Files.getAttribute(denied, "unix:ino");
            long dev = SmokeLsmGuest.kernelDev((Long) Files.getAttribute(denied, "unix:dev"));
            try (BpfObject obj = BpfObject.openResource("dev/tomoyoctl/bpf/smoke.bpf.o")) {
                pins.prepare(obj); // target_tgid stays 0: any process, so the next JVM is denied too
                obj.load();
                Map<String, BpfLink> links = pins.attachAndPin(obj);
                try (BpfMap target = obj.map("smoke_target")) {
                    target.update(Bytes.u32(0), Bytes.u64(ino));
                    target.update(Bytes.u32(1), Bytes.u64(dev));
                }
                say("attached and pinned " + links.keySet() + " maps " + pins.pinnedMapNames());
                check("attach: open while attached", denied, false);
                long self = ProcessHandle.current().pid();
                say("SIGKILL " + self);
                new ProcessBuilder("kill", "-9", Long.toString(self)).inheritIO().start().waitFor();
                Thread.sleep(10_000);
                say("FAIL still alive after SIGKILL");
                System.exit(1);
            }
        } else if (args.length == 1 && args[0].equals("adopt")) {
            check("adopt: open after the JVM that attached was killed", denied, false);
            try (BpfPins.Adopted a = pins.adopt()) {
                LinkInfo info = a.attached().get("smoke_file_open");
                say("adopted link smoke_file_open: program " + info.programKernelName() + " type "
                        + info.programTypeName() + " attach " + info.attachTypeName());
                if (!"lsm_mac".equals(info.attachTypeName()) || !"smoke_file_open".equals(info.programKernelName())) {
                    fail("the pinned link does not hold the LSM program");
                }
                long denials = Bytes.getU64(a.map("smoke_counts").lookup(Bytes.u32(1)).orElseThrow(), 0);
                say("denials counted in the pinned map: " + denials);
                if (denials < 2) {
                    fail("expected at least 2 denials");
                }
            }
            say("unloaded " + pins.unload().size() + " pins");
            check("adopt: open after unload", denied, true);
            say(ok ? "PASS" : "FAIL");
            System.exit(ok ? 0 : 1);
        } else {
            System.err.println("usage: PinnedLsmGuest attach|adopt");
            System.exit(2);
        }
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
            result = e.getMessage().contains("Operation not permitted") ? "EPERM" : "error: " + e.getMessage();
        }
        say(what + ": " + result);
        if (opened != expectOpen || (!opened && !result.equals("EPERM"))) {
            fail(what + " expected " + (expectOpen ? "ok" : "EPERM"));
        }
    }

    private static void fail(String why) {
        ok = false;
        say("FAIL " + why);
    }

    private static void say(String line) {
        System.out.println("PIN " + line);
        System.out.flush();
    }
}
