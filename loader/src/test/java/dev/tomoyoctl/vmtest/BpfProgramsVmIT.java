package dev.tomoyoctl.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel side on its own, in real kernels: bpf/test/vm-smoke.sh loads tomoyo.bpf.o with the
 * C test driver (no JVM) and checks every mode, fork inheritance, exec transitions, the
 * aggregator and the file naming rules. The object must verify and behave alike on Debian's 6.1
 * and 6.12.
 */
class BpfProgramsVmIT {

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void theProgramsDecideAsTomoyoDoesOn(String kernel) throws Exception {
        var r = VmRun.vm().kernel(kernel).timeoutSeconds(900).run(VmRun.repo().resolve("bpf/test/vm-smoke.sh").toString());
        assertThat(r.stdout()).doesNotContain("FAIL");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).containsPattern("(?m)^vm-smoke: [1-9][0-9]* checks, 0 failed \\(" + kernel + "\\.");
    }
}
