package dev.tomoyoctl.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The effective capabilities of this process, from /proc/self/status. */
final class Capabilities {
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    private Capabilities() {}

    static long effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: treat as none
        }
        return 0;
    }

    static boolean has(int cap) {
        return (effective() & (1L << cap)) != 0;
    }

    /** Privileged enough for every program type the project loads (LSM and tracing included). */
    static boolean canLoadBpf() {
        long eff = effective();
        return (eff & (1L << CAP_SYS_ADMIN)) != 0 || ((eff & (1L << CAP_BPF)) != 0 && (eff & (1L << CAP_PERFMON)) != 0);
    }
}
