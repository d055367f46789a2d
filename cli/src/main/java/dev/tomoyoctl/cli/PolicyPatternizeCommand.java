package dev.tomoyoctl.cli;

import dev.tomoyoctl.policy.PolicyError;
import dev.tomoyoctl.policy.PolicyParseException;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.patternize.Patternizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "patternize", mixinStandardHelpOptions = true,
        description = {"Suggest patterns for learned paths that vary between runs, as a unified",
                "diff of domain_policy.conf to review (offline, on the policy files):",
                "  proc:/1234/stat -> proc:/\\$/stat    app.log.1 -> app.log.\\$",
                "  /tmp/tmp.AbC123xyZ0 -> /tmp/tmp.\\*  hex ids -> \\X  /dev/pts/3 -> /dev/pts/\\$",
                "Installed files and configuration (/etc /usr /bin /sbin /lib* /opt /boot)",
                "are never patterned. With --compare, a name that differs in the policy of",
                "a second learning run of the same programs is patterned from that evidence.",
                "The rules a pattern covers become one rule (operations merged) under a",
                "'# patternize:' comment giving the reason. --apply writes the result (each",
                "file atomically); then give it to a daemon with 'tomoyoctl policy load'.",
                "Exit 0: nothing to suggest, or applied; 1: suggestions shown; 2: error."})
final class PolicyPatternizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy-dir", paramLabel = "DIR", defaultValue = "/etc/tomoyoctl",
            description = "Policy directory to patternize (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--compare", paramLabel = "DIR",
            description = "Policy directory of another learning run of the same programs.")
    Path other;

    @Option(names = "--domain", paramLabel = "NAME", description = "Only this domain (repeatable).")
    List<String> domains;

    @Option(names = "--apply", description = "Write the suggestions into the policy directory.")
    boolean apply;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:TOMOYOCTL_SOCKET:-/run/tomoyoctl.sock}",
            description = "A daemon's control socket: if it exists, --apply reminds you to load the result.")
    Path socket;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PolicySet policy = load(dir, err);
            PolicySet second = other == null ? null : load(other, err);
            if (policy == null || (other != null && second == null)) {
                return Exit.ERROR;
            }
            var only = domains == null ? java.util.Set.<String>of() : new LinkedHashSet<>(domains);
            for (String d : only) {
                if (policy.domain(d) == null) {
                    err.println("tomoyoctl: no domain '" + d + "' in " + dir);
                    err.flush();
                    return Exit.ERROR;
                }
            }
            Patternizer.Result r = Patternizer.patternize(policy, second, only);
            if (r.suggestions().isEmpty()) {
                out.println("nothing to patternize in " + dir.resolve(PolicySet.DOMAIN_POLICY));
                out.flush();
                return Exit.OK;
            }
            Path file = dir.resolve(PolicySet.DOMAIN_POLICY);
            out.print(r.diff(file.toString(), file + " (patternized)"));
            int rules = r.suggestions().stream().mapToInt(s -> s.paths().size()).sum();
            String summary = r.suggestions().size() + (r.suggestions().size() == 1 ? " pattern" : " patterns")
                    + " for " + rules + (rules == 1 ? " rule" : " rules");
            // Honest about the kernel side: a pattern it does not enforce yet denies, in enforcing
            // mode, the accesses the exact rules allowed.
            List<String> warnings = r.patternized().check().stream().map(w -> w.message()).toList();
            long notEnforced = r.suggestions().stream().map(x -> x.pattern()).distinct()
                    .filter(pat -> warnings.stream().anyMatch(m -> m.contains("pattern " + pat))).count();
            String note = notEnforced == 0 ? null : "note: " + notEnforced + " of the new patterns "
                    + (notEnforced == 1 ? "is" : "are") + " not enforced by the kernel side yet (see tomoyoctl policy "
                    + "check); until then, in enforcing mode, the accesses they cover are denied";
            if (apply) {
                r.patternized().save(dir);
                out.println("applied: " + summary + " in " + dir + " (tomoyoctl policy load gives it to the daemon)");
                if (note != null) {
                    out.println(note);
                }
                if (socket != null && java.nio.file.Files.exists(socket)) {
                    // The daemon keeps its own copy and writes it at its next checkpoint.
                    out.println("note: a daemon is running (" + socket + "): run 'tomoyoctl policy load' now, or "
                            + "it may write its own copy over these files");
                }
                out.flush();
                return Exit.OK;
            }
            out.println(summary + "; not applied (review the diff, then run again with --apply)");
            if (note != null) {
                out.println(note);
            }
            out.flush();
            return Exit.WARNINGS;
        } catch (IOException e) {
            err.println("tomoyoctl: " + e);
            err.flush();
            return Exit.ERROR;
        }
    }

    private static PolicySet load(Path d, PrintWriter err) throws IOException {
        try {
            return PolicySet.load(d);
        } catch (PolicyParseException e) {
            for (PolicyError x : e.errors()) {
                err.println(d.resolve(x.file()) + ":" + x.line() + ": " + x.reason());
            }
            err.println("tomoyoctl: policy in " + d + " has errors; nothing patternized");
            err.flush();
            return null;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("tomoyoctl: " + d + ": not a policy directory");
            err.flush();
            return null;
        }
    }
}
