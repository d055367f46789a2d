package dev.tomoyoctl.vmtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in the test VM through {@code vagrant/vmtest} and keeps what it printed.
 * The guest's output is also echoed live to this JVM's stdout/stderr so a CI log shows what the
 * kernel did, not only whether an assertion held.
 */
public final class VmRun {

    /** What a guest command printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }
    }

    private final List<String> options = new ArrayList<>();
    private Path workingDirectory = repo();

    private VmRun() {}

    public static VmRun vm() {
        return new VmRun().kernel(System.getProperty("vmtest.kernel", "6.1"));
    }

    /** The repository root: failsafe passes it; from an IDE, walk up to the folder with vagrant/vmtest. */
    public static Path repo() {
        String prop = System.getProperty("tomoyoctl.repo");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("vagrant/vmtest"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find vagrant/vmtest above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** The real test class path (failsafe starts the JVM from a manifest-only booter jar); the guest sees the same paths. */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** This JVM's java binary, for running a guest-side main on {@link #classPath()}. */
    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A guest command that runs {@code mainClass} with this test's class path. */
    public static List<String> java(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", classPath(), mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public VmRun kernel(String version) {
        options.removeIf(o -> o.startsWith("--kernel="));
        options.add("--kernel=" + version);
        return this;
    }

    public VmRun withTomoyo() {
        options.add("--with-tomoyo");
        return this;
    }

    public VmRun timeoutSeconds(int seconds) {
        options.add("--timeout=" + seconds);
        return this;
    }

    public VmRun env(String name, String value) {
        options.add("--env");
        options.add(name + "=" + value);
        return this;
    }

    public VmRun in(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    public Result run(List<String> command) throws IOException, InterruptedException {
        return run(command.toArray(String[]::new));
    }

    public Result run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(repo().resolve("vagrant/vmtest").toString());
        argv.addAll(options);
        argv.add("--");
        argv.addAll(List.of(command));
        System.out.println("[vmtest] " + String.join(" ", argv));
        Process process = new ProcessBuilder(argv)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = pump(process.getInputStream(), out, System.out);
        Thread errPump = pump(process.getErrorStream(), err, System.err);
        // vmtest enforces the guest timeout itself (default 600 s); this is only a backstop.
        if (!process.waitFor(1200, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
        outPump.join();
        errPump.join();
        return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Thread pump(InputStream in, OutputStream keep, PrintStream echo) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    keep.write(buf, 0, n);
                    echo.write(buf, 0, n);
                    echo.flush();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "vmtest-pump");
        t.start();
        return t;
    }
}
