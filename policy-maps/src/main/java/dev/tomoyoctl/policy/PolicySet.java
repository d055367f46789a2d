package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.AclGroupRule;
import dev.tomoyoctl.policy.model.BlankLine;
import dev.tomoyoctl.policy.model.CommentLine;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole TOMOYO policy: domain policy, exception policy, profiles, and other files of the policy
 * directory kept verbatim (manager.conf, stat.conf). Mutable (learning adds rules), not
 * thread-safe: the daemon serializes access.
 */
public final class PolicySet {
    public static final String DOMAIN_POLICY = "domain_policy.conf";
    public static final String EXCEPTION_POLICY = "exception_policy.conf";
    public static final String PROFILE = "profile.conf";
    public static final String MANAGER = "manager.conf";
    public static final String STAT = "stat.conf";
    /** Files kept verbatim if present. */
    public static final List<String> OPAQUE_FILES = List.of(MANAGER, STAT);

    private final DomainPolicy domains;
    private final ExceptionPolicy exceptions;
    private final ProfilePolicy profiles;
    private final Map<String, String> opaque;
    /**
     * Where each line of the merged domain policy / exception policy came from, when lines were
     * loaded from the TOMOYO 1.8 side files (index = merged line number - 1); null otherwise or
     * after a change through this class. Lets {@link #check()} name the file a line is in.
     */
    private List<Origin> domainOrigin;
    private List<Origin> exceptionOrigin;

    /** A line's place in the files it was loaded from. */
    private record Origin(String file, int line) {}

    public PolicySet(DomainPolicy domains, ExceptionPolicy exceptions, ProfilePolicy profiles,
                     Map<String, String> opaqueFiles) {
        this.domains = Objects.requireNonNull(domains);
        this.exceptions = Objects.requireNonNull(exceptions);
        this.profiles = Objects.requireNonNull(profiles);
        this.opaque = new LinkedHashMap<>(opaqueFiles);
    }

    /** An empty policy (no domains, no exceptions, no profiles). */
    public PolicySet() {
        this(new DomainPolicy(), new ExceptionPolicy(), new ProfilePolicy(), Map.of());
    }

    /**
     * Parses the three files (texts as read with ISO-8859-1). All errors of all three files are
     * collected; if there is any, nothing is returned.
     */
    public static PolicySet parse(String domainPolicy, String exceptionPolicy, String profile)
            throws PolicyParseException {
        return parse(domainPolicy, exceptionPolicy, profile, Map.of());
    }

    public static PolicySet parse(String domainPolicy, String exceptionPolicy, String profile,
                                  Map<String, String> opaqueFiles) throws PolicyParseException {
        return parse(domainPolicy, null, exceptionPolicy, null, profile, opaqueFiles);
    }

    /**
     * Parses the policy files plus the TOMOYO 1.8 side files ({@link Tomoyo18Lines}; null when
     * absent), whose lines are merged into the same domains (after each domain's last rule) and
     * at the end of the exception policy. A side file may hold only rules, for domains that
     * domain_policy.conf defines.
     */
    public static PolicySet parse(String domainPolicy, String domainPolicy18, String exceptionPolicy,
                                  String exceptionPolicy18, String profile, Map<String, String> opaqueFiles)
            throws PolicyParseException {
        List<PolicyError> errors = new ArrayList<>();
        DomainPolicy d = PolicyParser.parseDomainPolicy(DOMAIN_POLICY, domainPolicy, errors);
        DomainPolicy d18 = domainPolicy18 == null ? null
                : PolicyParser.parseDomainPolicy(Tomoyo18Lines.DOMAIN_FILE, domainPolicy18, errors);
        ExceptionPolicy e = PolicyParser.parseExceptionPolicy(EXCEPTION_POLICY, exceptionPolicy, errors);
        ExceptionPolicy e18 = exceptionPolicy18 == null ? null
                : PolicyParser.parseExceptionPolicy(Tomoyo18Lines.EXCEPTION_FILE, exceptionPolicy18, errors);
        ProfilePolicy p = PolicyParser.parseProfilePolicy(PROFILE, profile, errors);
        if (!errors.isEmpty()) {
            throw new PolicyParseException(errors);
        }
        List<Origin> dOrigin = d18 == null ? null : mergeDomains(d, d18, errors);
        List<Origin> eOrigin = e18 == null ? null : mergeExceptions(e, e18, errors);
        if (!errors.isEmpty()) {
            throw new PolicyParseException(errors);
        }
        PolicySet set = new PolicySet(d, e, p, opaqueFiles);
        set.domainOrigin = dOrigin;
        set.exceptionOrigin = eOrigin;
        return set;
    }

    /** Merges the side file's rules into the domains; returns each merged line's origin. */
    private static List<Origin> mergeDomains(DomainPolicy d, DomainPolicy d18, List<PolicyError> errors) {
        String file = Tomoyo18Lines.DOMAIN_FILE;
        Map<DomainLine, Integer> fromSide = new IdentityHashMap<>();
        int line = d18.preamble().size();
        for (Domain sd : d18.domains()) {
            line++;
            Domain target = d.domain(sd.name());
            if (target == null) {
                errors.add(new PolicyError(file, line, "domain '" + DomainId.abbreviate(sd.name())
                        + "' is not defined in " + DOMAIN_POLICY + " (this file only adds rules to its domains)"));
                line += sd.lines().size();
                continue;
            }
            for (DomainLine l : sd.lines()) {
                line++;
                if (l instanceof BlankLine || l instanceof CommentLine) {
                    continue; // the header comment is written again on save
                }
                if (!l.isAcl()) {
                    errors.add(new PolicyError(file, line, "'" + l.text() + "' belongs in " + DOMAIN_POLICY
                            + " (this file holds only rules)"));
                    continue;
                }
                target.appendAclLine(l);
                fromSide.put(l, line);
            }
        }
        List<Origin> origin = new ArrayList<>();
        int main = 0;
        for (int i = 0; i < d.preamble().size(); i++) {
            origin.add(new Origin(DOMAIN_POLICY, ++main));
        }
        for (Domain x : d.domains()) {
            origin.add(new Origin(DOMAIN_POLICY, ++main));
            for (DomainLine l : x.lines()) {
                Integer s = fromSide.get(l);
                origin.add(s != null ? new Origin(file, s) : new Origin(DOMAIN_POLICY, ++main));
            }
        }
        return origin;
    }

    /** Appends the side file's acl_group lines; returns each merged line's origin. */
    private static List<Origin> mergeExceptions(ExceptionPolicy e, ExceptionPolicy e18,
                                                       List<PolicyError> errors) {
        String file = Tomoyo18Lines.EXCEPTION_FILE;
        List<Origin> origin = new ArrayList<>();
        for (int i = 1; i <= e.lines().size(); i++) {
            origin.add(new Origin(EXCEPTION_POLICY, i));
        }
        int line = 0;
        for (ExceptionLine l : e18.lines()) {
            line++;
            if (l instanceof BlankLine || l instanceof CommentLine) {
                continue;
            }
            if (!(l instanceof AclGroupRule)) {
                errors.add(new PolicyError(file, line, "'" + l.text() + "' belongs in " + EXCEPTION_POLICY
                        + " (this file holds only acl_group lines)"));
                continue;
            }
            e.add(l);
            origin.add(new Origin(file, line));
        }
        return origin;
    }

    public DomainPolicy domainPolicy() {
        return domains;
    }

    public ExceptionPolicy exceptionPolicy() {
        return exceptions;
    }

    public ProfilePolicy profilePolicy() {
        return profiles;
    }

    /** Other files kept verbatim (name -> content), unmodifiable. */
    public Map<String, String> opaqueFiles() {
        return Collections.unmodifiableMap(opaque);
    }

    public Domain domain(String name) {
        return domains.domain(name);
    }

    /**
     * The domain, created (laid out as TOMOYO prints an empty domain) with {@code profile} if it
     * does not exist. TOMOYO gives an automatically created domain the profile of the domain the
     * exec came from; the caller passes that (the kernel's domain event carries it).
     */
    public Domain ensureDomain(String name, int profile) {
        forgetOrigins();
        return domains.getOrCreate(name, profile);
    }

    /**
     * Adds a learned file permission to an existing domain, merged into the domain's rule for the
     * same path if there is one (TOMOYO prints the merged rule as "file read/write PATH").
     *
     * @param path TOMOYO-encoded path
     * @param ops  {@link dev.tomoyoctl.policy.model.FileOp} bits
     * @return true if the policy changed
     * @throws IllegalArgumentException if the domain does not exist or the path is not a TOMOYO name
     */
    public boolean addLearnedFileRule(String domainName, String path, int ops) {
        forgetOrigins();
        Domain d = domains.domain(domainName);
        if (d == null) {
            throw new IllegalArgumentException("unknown domain '" + DomainId.abbreviate(domainName)
                    + "' (create it with ensureDomain first)");
        }
        return d.addFileRule(path, ops);
    }

    /**
     * Adds a learned rule to an existing domain, merged as TOMOYO merges: a file rule into the
     * rule for the same path, a network rule into the rule with the same (family, protocol,
     * address, port, condition) by OR-ing operations; a capability or signal rule is added once.
     *
     * @param rule a {@link dev.tomoyoctl.policy.model.FileRule} (no condition),
     *             {@link dev.tomoyoctl.policy.model.NetworkRule},
     *             {@link dev.tomoyoctl.policy.model.CapabilityRule} or
     *             {@link dev.tomoyoctl.policy.model.SignalRule}
     * @return true if the policy changed
     * @throws IllegalArgumentException if the domain does not exist or the rule is of another kind
     */
    public boolean addLearnedRule(String domainName, dev.tomoyoctl.policy.model.DomainLine rule) {
        forgetOrigins();
        Domain d = domains.domain(domainName);
        if (d == null) {
            throw new IllegalArgumentException("unknown domain '" + DomainId.abbreviate(domainName)
                    + "' (create it with ensureDomain first)");
        }
        return d.addRule(rule);
    }

    /** One domain's policy as TOMOYO text (its name line and its lines). */
    public String printDomain(String name) {
        Domain d = domains.domain(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown domain '" + DomainId.abbreviate(name) + "'");
        }
        return d.print();
    }

    public String printDomainPolicy() {
        return domains.print();
    }

    public String printExceptionPolicy() {
        return exceptions.print();
    }

    public String printProfiles() {
        return profiles.print();
    }

    /**
     * Every file of the policy directory as saved: name -> content. domain_policy.conf and
     * exception_policy.conf hold what TOMOYO 2.6 accepts; the rest goes into the
     * {@link Tomoyo18Lines} side files, present only when there is something to put there.
     */
    public Map<String, String> printAll() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] d = Tomoyo18Lines.printDomains(domains);
        String[] e = Tomoyo18Lines.printExceptions(exceptions);
        m.put(DOMAIN_POLICY, d[0]);
        if (d[1] != null) {
            m.put(Tomoyo18Lines.DOMAIN_FILE, d[1]);
        }
        m.put(EXCEPTION_POLICY, e[0]);
        if (e[1] != null) {
            m.put(Tomoyo18Lines.EXCEPTION_FILE, e[1]);
        }
        m.put(PROFILE, printProfiles());
        m.putAll(opaque);
        return m;
    }

    /**
     * What the policy says that the kernel does not enforce (file:line: message). For a policy
     * loaded with side files, each warning names the file and line the rule is in.
     */
    public List<PolicyWarning> check() {
        List<PolicyWarning> out = new ArrayList<>();
        for (PolicyWarning w : PolicyCompiler.compile(this, 0).warnings()) {
            List<Origin> origin = w.file().equals(DOMAIN_POLICY) ? domainOrigin
                    : w.file().equals(EXCEPTION_POLICY) ? exceptionOrigin : null;
            if (origin != null && w.line() > 0 && w.line() <= origin.size()) {
                Origin o = origin.get(w.line() - 1);
                out.add(new PolicyWarning(o.file(), o.line(), w.message()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    private void forgetOrigins() {
        domainOrigin = null;
        exceptionOrigin = null;
    }

    /** Loads a policy directory; see {@link PolicyDirectory#load}. */
    public static PolicySet load(Path dir) throws IOException, PolicyParseException {
        return PolicyDirectory.load(dir);
    }

    /** Saves atomically into a policy directory; see {@link PolicyDirectory#save}. */
    public void save(Path dir) throws IOException {
        PolicyDirectory.save(this, dir);
    }
}
