package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@Command(name = "learn", mixinStandardHelpOptions = true,
        header = "Run a command in a fresh learning domain and print what it learned.",
        description = {"Run CMD as the root of its own domain '<kernel> CMD-PATH' in learning mode, wait for it,",
                "then print the rules learned for that domain and every domain below it (TOMOYO domain policy).",
                "",
                "CMD-PATH is CMD's real path (symbolic links resolved, as TOMOYO names domains). The daemon",
                "adds 'initialize_domain CMD-PATH from any' to the exception policy, so CMD-PATH starts this",
                "domain whoever runs it, now and later (e.g. after 'profile set 3 DOMAIN -r')."},
        usageHelpAutoWidth = true)
final class LearnCommand extends ClientCommand {

    @Option(names = "--profile", paramLabel = "N", defaultValue = "1",
            description = "Profile of the new domain (default: ${DEFAULT-VALUE}, learning in TOMOYO's default profile.conf).")
    int profile;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (put them after --).")
    List<String> command;

    @Override
    int run(ControlClient client) throws IOException {
        if (profile < 0 || profile > 255) {
            throw new CliException("--profile must be 0-255, got " + profile, Exit.ERROR);
        }
        Path program = resolve(command.get(0), System.getenv("PATH"));
        Map<String, Object> started = client.call(new Request.LearnStart(program.toString(), profile));
        String domain = str(started, "domain");
        err().println("tomoyoctl: learning in " + domain + " (profile " + num(started, "profile") + ")");
        err().flush();

        int status = runChild();

        Map<String, Object> learned = client.call(new Request.LearnFinish(domain));
        out().print(str(learned, "policy"));
        int code = warnings(learned);
        if (status != 0) {
            err().println("tomoyoctl: warning: " + command.get(0) + " exited with status " + status);
            code = Math.max(code, Exit.WARNINGS);
        }
        return code;
    }

    private int runChild() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CliException("cannot run " + command.get(0) + ": " + e.getMessage(), Exit.ERROR);
        }
        // ^C is for the command: this process must survive it to report what was learned.
        Signals.ignoreInterrupts();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + command.get(0), Exit.ERROR);
        } finally {
            Signals.restoreInterrupts();
        }
    }

    /**
     * The real path of the program the kernel will execute for {@code cmd}: as execvp(3) finds it
     * (a name with a '/' relative to the current directory, else the first executable match in
     * PATH), then with symbolic links resolved.
     */
    static Path resolve(String cmd, String pathEnv) throws CliException {
        try {
            if (cmd.contains("/")) {
                return executable(Path.of(cmd), cmd);
            }
            for (String dir : (pathEnv == null || pathEnv.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : pathEnv).split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, cmd);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toRealPath();
                }
            }
        } catch (InvalidPathException | IOException e) {
            throw new CliException("cannot resolve " + cmd + ": " + e.getMessage(), Exit.ERROR);
        }
        throw new CliException(cmd + ": command not found in PATH", Exit.ERROR);
    }

    private static Path executable(Path p, String cmd) throws IOException {
        if (!Files.exists(p)) {
            throw new CliException(cmd + ": no such file", Exit.ERROR);
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new CliException(cmd + ": not an executable file", Exit.ERROR);
        }
        return p.toRealPath();
    }
}
