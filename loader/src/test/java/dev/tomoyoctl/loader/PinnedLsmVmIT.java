package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import org.junit.jupiter.api.Test;

/**
 * In one VM boot: a JVM attaches and pins an LSM program and is SIGKILLed; a second JVM finds
 * the open still denied, adopts the pinned link and maps, unloads, and the open works again
 * (issue 3: "SIGKILL of the daemon leaves enforcement on; a restarted daemon adopts").
 */
class PinnedLsmVmIT {
    @Test
    void enforcementOutlivesAKilledJvmAndIsAdoptedAndUnloadedByTheNext() throws Exception {
        String run = "'" + VmRun.javaBin() + "' -cp '" + VmRun.classPath() + "' " + PinnedLsmGuest.class.getName();
        var r = VmRun.vm().run("sh", "-c", run + " attach; echo \"PIN attach exit $?\"; " + run + " adopt");
        assertThat(r.stdoutLines()).contains(
                "PIN attach: open while attached: EPERM",
                "PIN attach exit 137",
                "PIN adopt: open after the JVM that attached was killed: EPERM",
                "PIN adopted link smoke_file_open: program smoke_file_open type lsm attach lsm_mac",
                "PIN adopt: open after unload: ok",
                "PIN PASS");
        assertThat(r.stdoutLines()).noneMatch(l -> l.startsWith("PIN FAIL"));
        assertThat(r.exitCode()).isZero();
    }
}
