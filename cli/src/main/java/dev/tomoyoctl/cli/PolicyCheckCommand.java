package dev.tomoyoctl.cli;

import dev.tomoyoctl.policy.PolicyError;
import dev.tomoyoctl.policy.PolicyParseException;
import dev.tomoyoctl.policy.PolicyParser;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.Tomoyo18Lines;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check policy files offline (no daemon needed): every error as FILE:LINE: reason, and as",
                "FILE:LINE: warning: ... what is kept but not enforced by the kernel side.",
                "A FILE is domain_policy.conf, exception_policy.conf or profile.conf (by name, or --type),",
                "domain_policy.tomoyo18.conf or exception_policy.tomoyo18.conf (the lines",
                "TOMOYO 2.6 rejects, merged into the same domains), or a policy directory (all). The other files next to a FILE give context (profiles",
                "used by domains, groups), but only FILE is reported. Exit 0 clean, 1 warnings only, 2 errors."})
final class PolicyCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    enum Kind {
        domain(PolicySet.DOMAIN_POLICY), exception(PolicySet.EXCEPTION_POLICY), profile(PolicySet.PROFILE),
        domain18(Tomoyo18Lines.DOMAIN_FILE), exception18(Tomoyo18Lines.EXCEPTION_FILE);

        final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }

        static Kind of(Path p) {
            String n = p.getFileName() == null ? "" : p.getFileName().toString();
            for (Kind k : values()) {
                if (k.fileName.equals(n)) {
                    return k;
                }
            }
            return null;
        }
    }

    @Option(names = "--type", paramLabel = "KIND", description = "Kind of every FILE: ${COMPLETION-CANDIDATES}.")
    Kind type;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files or directories.")
    List<Path> files;

    private int errors;
    private int warnings;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path f : files) {
            try {
                if (Files.isDirectory(f)) {
                    checkDirectory(f, out);
                } else {
                    checkFile(f, out);
                }
            } catch (IOException e) {
                out.println(f + ": cannot read: " + e.getMessage());
                errors++;
            }
        }
        if (errors + warnings > 0) {
            out.println(errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings"));
        }
        out.flush();
        return errors > 0 ? Exit.ERROR : warnings > 0 ? Exit.WARNINGS : Exit.OK;
    }

    private void checkDirectory(Path dir, PrintWriter out) throws IOException {
        PolicySet p;
        try {
            p = PolicySet.load(dir);
        } catch (PolicyParseException e) {
            report(e, dir, null, out);
            return;
        }
        for (PolicyWarning w : p.check()) {
            warning(dir.resolve(w.file()), w, out);
        }
    }

    private void checkFile(Path file, PrintWriter out) throws IOException {
        Kind kind = type != null ? type : Kind.of(file);
        if (kind == null) {
            out.println(file + ": cannot tell which policy file this is; name it domain_policy.conf, "
                    + "exception_policy.conf or profile.conf, or use --type");
            errors++;
            return;
        }
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        Path dir = file.toAbsolutePath().getParent();
        if (kind == Kind.domain18 || kind == Kind.exception18) {
            checkSideFile(file, kind, text, dir, out);
            return;
        }
        DomainPolicy domains = kind == Kind.domain ? null : context(dir, Kind.domain, new DomainPolicy());
        ExceptionPolicy exceptions = kind == Kind.exception ? null : context(dir, Kind.exception, new ExceptionPolicy());
        ProfilePolicy profiles = kind == Kind.profile ? null : context(dir, Kind.profile, new ProfilePolicy());
        try {
            switch (kind) {
                case domain -> domains = PolicyParser.parseDomainPolicy(file.toString(), text);
                case exception -> exceptions = PolicyParser.parseExceptionPolicy(file.toString(), text);
                case profile -> profiles = PolicyParser.parseProfilePolicy(file.toString(), text);
                default -> throw new IllegalStateException(kind.name());
            }
        } catch (PolicyParseException e) {
            report(e, null, file, out);
            return;
        }
        PolicySet set = new PolicySet(domains, exceptions, profiles, Map.of());
        for (PolicyWarning w : set.check()) {
            if (w.file().equals(kind.fileName)) {
                warning(file, w, out);
            }
        }
    }

    /**
     * A side file is checked merged with the files next to it (its domains must exist there);
     * only its own errors and warnings are reported.
     */
    private void checkSideFile(Path file, Kind kind, String text, Path dir, PrintWriter out) throws IOException {
        String d = sibling(dir, Kind.domain), e = sibling(dir, Kind.exception), p = sibling(dir, Kind.profile);
        PolicySet set;
        try {
            set = kind == Kind.domain18 ? PolicySet.parse(d, text, e, null, p, Map.of())
                    : PolicySet.parse(d, null, e, text, p, Map.of());
        } catch (PolicyParseException ex) {
            List<PolicyError> mine = ex.errors().stream().filter(err -> err.file().equals(kind.fileName)).toList();
            if (mine.isEmpty()) {
                out.println(file + ": not checked: the policy files next to it have errors (check the directory)");
                errors++;
            } else {
                report(new PolicyParseException(mine), null, file, out);
            }
            return;
        }
        for (PolicyWarning w : set.check()) {
            if (w.file().equals(kind.fileName)) {
                warning(file, w, out);
            }
        }
    }

    private static String sibling(Path dir, Kind kind) throws IOException {
        Path p = dir.resolve(kind.fileName);
        return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }

    /** The sibling file of that kind, parsed for context; its own errors are not this check's. */
    @SuppressWarnings("unchecked")
    private static <T> T context(Path dir, Kind kind, T empty) {
        Path p = dir.resolve(kind.fileName);
        if (!Files.isRegularFile(p)) {
            return empty;
        }
        try {
            String text = Files.readString(p, StandardCharsets.ISO_8859_1);
            return (T) switch (kind) {
                case domain -> PolicyParser.parseDomainPolicy(p.toString(), text);
                case exception -> PolicyParser.parseExceptionPolicy(p.toString(), text);
                case profile -> PolicyParser.parseProfilePolicy(p.toString(), text);
                default -> throw new IllegalStateException(kind.name());
            };
        } catch (IOException | PolicyParseException e) {
            return empty;
        }
    }

    private void report(PolicyParseException e, Path dir, Path file, PrintWriter out) {
        List<String> lines = new ArrayList<>();
        for (PolicyError err : e.errors()) {
            String name = file != null ? file.toString() : dir.resolve(err.file()).toString();
            lines.add(name + ":" + err.line() + ": " + err.reason());
        }
        lines.forEach(out::println);
        errors += lines.size();
    }

    private void warning(Path file, PolicyWarning w, PrintWriter out) {
        out.println(file + ":" + w.line() + ": warning: " + w.message());
        warnings++;
    }
}
