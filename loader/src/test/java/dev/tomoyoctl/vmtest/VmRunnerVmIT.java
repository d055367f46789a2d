package dev.tomoyoctl.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test VM runner itself: the contract every VM test relies on. */
class VmRunnerVmIT {

    @Test
    void runsTheCommandAsRootInTheSameDirectoryWithBpfActiveAndReturnsItsStatus() throws Exception {
        var r = VmRun.vm().run("bash", "-c",
                "id -u; pwd; cat /sys/kernel/security/lsm; echo; cat <(echo process-substitution); echo on-stderr >&2;"
                        + " touch /usr/guest-write; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdoutLines()).startsWith("0", VmRun.repo().toString());
        assertThat(r.stdout()).containsPattern("(^|,)bpf(,|$)?");
        assertThat(r.stdout()).doesNotContain("on-stderr").contains("process-substitution\n");
        assertThat(r.stderr()).contains("on-stderr");
        // The guest writes to its overlay only.
        assertThat(java.nio.file.Path.of("/usr/guest-write")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.12", "5.10"})
    void bootsOtherDebianKernels(String version) throws Exception {
        var r = VmRun.vm().kernel(version).run("uname", "-r");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().trim()).startsWith(version + ".");
    }

    @Test
    void killsAGuestPastItsTimeoutAndSaysSo() throws Exception {
        var r = VmRun.vm().timeoutSeconds(20).run("sleep", "300");
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.stderr()).contains("timeout");
        // A QEMU left behind by a runner would be an orphan (other runs' QEMUs have their runner as parent).
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.parent().map(pp -> pp.pid() == 1).orElse(true))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))).isEmpty();
    }

    @Test
    void withTomoyoActivatesTheKernelsOwnTomoyoWithItsPolicyLoaded() throws Exception {
        var r = VmRun.vm().withTomoyo().run("bash", "-c",
                "cat /sys/kernel/security/lsm; echo; cat /sys/kernel/security/tomoyo/profile | grep -c CONFIG=");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutLines().get(0)).contains("tomoyo").contains("bpf");
        assertThat(Integer.parseInt(r.stdoutLines().get(1).trim())).isGreaterThanOrEqualTo(4);
    }
}
