package dev.tomoyoctl.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6 in real kernels: bpf/test/vm-links.sh execs programs through symlinks in every way
 * that matters (busybox applets, /bin/sh on usr-merge, ./x, bin/x, PATH lookup, a symlinked
 * directory, a link to a link, a script behind a link, failed execs before good ones, a name
 * longer than PATH_MAX) and checks the domain names the kernel side makes. The kernel's own
 * TOMOYO is active in the same boot, so every name is also compared with the domain TOMOYO made
 * for the same exec.
 */
class LinkNamesVmIT {

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void programsAreNamedAsExecutedWithTheLastSymlinkNotFollowedOn(String kernel) throws Exception {
        var r = VmRun.vm().kernel(kernel).withTomoyo().timeoutSeconds(900)
                .run(VmRun.repo().resolve("bpf/test/vm-links.sh").toString());
        assertThat(r.stdout()).as(r.stdout()).doesNotContain("FAIL");
        assertThat(r.stdout()).contains("the kernel's TOMOYO is active: names are compared with its domains");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).containsPattern("(?m)^vm-links: [1-9][0-9]* checks, 0 failed \\(" + kernel + "\\.");
    }
}
