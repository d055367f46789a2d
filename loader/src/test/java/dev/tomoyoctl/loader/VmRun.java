package dev.tomoyoctl.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a guest command through vagrant/vmtest for the *VmIT tests: stdout lines are collected
 * (and echoed as "[vm] ..."), stderr is echoed apart so the two streams never interleave inside
 * a line. The guest sees the host's paths, so the test class path and JDK work there as here.
 */
record VmRun(List<String> stdout, int exit) {
    static Path repo() {
        return Path.of(System.getProperty("tomoyoctl.repo", "..")).toAbsolutePath().normalize();
    }

    /** The real test class path (failsafe starts the JVM from a manifest-only booter jar). */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String kernel() {
        return System.getProperty("vmtest.kernel", "6.1");
    }

    static VmRun run(String... guestCommand) throws Exception {
        Path vmtest = repo().resolve("vagrant/vmtest");
        assertThat(vmtest).as("the VM runner").isExecutable();
        List<String> cmd = new ArrayList<>(List.of(vmtest.toString(), "--kernel", kernel(), "--timeout", "600", "--"));
        cmd.addAll(List.of(guestCommand));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        List<String> out = new ArrayList<>();
        Thread err = new Thread(() -> lines(p.getErrorStream(), l -> System.out.println("[vm stderr] " + l)));
        err.start();
        lines(p.getInputStream(), l -> {
            System.out.println("[vm] " + l);
            out.add(l);
        });
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("vmtest finished").isTrue();
        err.join();
        return new VmRun(out, p.exitValue());
    }

    private static void lines(InputStream in, Consumer<String> each) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                each.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
