package dev.tomoyoctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tomoyoctl.vmtest.VmRun;

/**
 * Runs a shell scenario as root in a real kernel with BPF-LSM (vagrant/vmtest) and splits its
 * output into sections: the scenario prints "@@NAME@@" before each step. The guest sees the
 * host's files read-only with a tmpfs overlay, so results come back only through the output.
 */
final class VmScenario {
    final Path repo;
    final Path work;
    final String kernel;

    VmScenario(String name) throws IOException {
        // A VM test that cannot run fails: it never skips.
        repo = VmRun.repo();
        if (!Files.isRegularFile(repo.resolve("cli/target/tomoyoctl.jar"))) {
            throw new IllegalStateException("cli/target/tomoyoctl.jar is not built (mvn package)");
        }
        kernel = System.getProperty("vmtest.kernel", "6.1");
        work = repo.resolve("cli/target/vmit/" + name);
        Files.createDirectories(work);
    }

    Path script(String name, String text) throws IOException {
        Path p = work.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** The output: section name -> text ("" = before the first marker). */
    record Result(int exit, String output, Map<String, String> sections) {
        String section(String name) {
            String s = sections.get(name);
            if (s == null) {
                throw new AssertionError("no section @@" + name + "@@ in the VM's output:\n" + output);
            }
            return s;
        }
    }

    Result run(Path scenario) throws Exception {
        Path log = work.resolve("vm-output.txt");
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("vagrant/vmtest").toString(), "--kernel", kernel,
                "--timeout", "1200", "--", "sh", scenario.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(25, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("vmtest did not finish in 25 minutes; output in " + log);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Map<String, String> sections = new LinkedHashMap<>();
        String current = "";
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (l.startsWith("@@") && l.endsWith("@@") && l.length() > 4) {
                sections.put(current, sb.toString());
                current = l.substring(2, l.length() - 2);
                sb.setLength(0);
            } else {
                sb.append(l).append('\n');
            }
        }
        sections.put(current, sb.toString());
        return new Result(p.exitValue(), out, sections);
    }

    /** The lines of a section that are not empty. */
    static List<String> lines(String section) {
        List<String> l = new ArrayList<>();
        for (String s : section.split("\n")) {
            if (!s.isBlank()) {
                l.add(s);
            }
        }
        return l;
    }
}
