package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path repo = Path.of(System.getProperty("tomoyoctl.repo", "..")).toAbsolutePath().normalize();
        Path vmtest = repo.resolve("vagrant/vmtest");
        assertThat(vmtest).as("the VM runner").isExecutable();
        String kernel = System.getProperty("vmtest.kernel", "6.1");
        // failsafe runs tests from a manifest-only booter jar; the real class path is here
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        List<String> cmd = List.of(vmtest.toString(), "--kernel", kernel, "--timeout", "600", "--",
                javaBin, "-cp", cp, SmokeLsmGuest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("[vm] " + line);
                lines.add(line);
            }
        }
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        int exit = p.exitValue();

        assertThat(lines).as("guest output").anyMatch(l -> l.matches("SMOKE kernel " + Pattern.quote(kernel) + "\\..*"));
        assertThat(lines).anyMatch(l -> l.startsWith("SMOKE lsm ") && List.of(l.substring(10).split(",")).contains("bpf"));
        assertThat(lines).contains(
                "SMOKE open denied file while attached: EPERM (Operation not permitted)",
                "SMOKE open other file while attached: ok",
                "SMOKE detached",
                "SMOKE open denied file after detach: ok",
                "SMOKE PASS");
        assertThat(lines).noneMatch(l -> l.startsWith("SMOKE FAIL"));
        assertThat(exit).as("exit status of vmtest (= the guest command's)").isZero();
        assertThat(Files.exists(repo.resolve("bpf/target/obj/smoke.bpf.o"))).isTrue();
    }
}
