package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 2's first real-kernel test: boots a stock Debian kernel with BPF-LSM through
 * vagrant/vmtest and runs {@link SmokeLsmGuest} there on this test's own class path (the guest
 * sees the host's paths: the loader jar, ~/.m2, the JDK). The guest's output streams into this
 * test's output, so the build log shows the guest kernel and the EPERM.
 */
class SmokeLsmVmIT {
    @Test
    void anOpenDeniedByAJavaLoadedLsmProgramFailsWithEpermAndSucceedsAfterDetach() throws Exception {
        var r = VmRun.vm().run(VmRun.java(SmokeLsmGuest.class));
        List<String> lines = r.stdoutLines();
        assertThat(lines).as("guest output")
                .anyMatch(l -> l.matches("SMOKE kernel " + Pattern.quote(System.getProperty("vmtest.kernel", "6.1")) + "\\..*"));
        assertThat(lines).anyMatch(l -> l.startsWith("SMOKE lsm ") && List.of(l.substring(10).split(",")).contains("bpf"));
        assertThat(lines).contains(
                "SMOKE open denied file while attached: EPERM (Operation not permitted)",
                "SMOKE open other file while attached: ok",
                "SMOKE detached",
                "SMOKE open denied file after detach: ok",
                "SMOKE PASS");
        assertThat(lines).noneMatch(l -> l.startsWith("SMOKE FAIL"));
        assertThat(r.exitCode()).as("exit status of vmtest (= the guest command's)").isZero();
        assertThat(Files.exists(VmRun.repo().resolve("bpf/target/obj/smoke.bpf.o"))).isTrue();
    }
}
