package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
        List<PolicyError> errors = new ArrayList<>();
        DomainPolicy d = PolicyParser.parseDomainPolicy(DOMAIN_POLICY, domainPolicy, errors);
        ExceptionPolicy e = PolicyParser.parseExceptionPolicy(EXCEPTION_POLICY, exceptionPolicy, errors);
        ProfilePolicy p = PolicyParser.parseProfilePolicy(PROFILE, profile, errors);
        if (!errors.isEmpty()) {
            throw new PolicyParseException(errors);
        }
        return new PolicySet(d, e, p, opaqueFiles);
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

    /** Every file of the policy directory: name -> content. */
    public Map<String, String> printAll() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DOMAIN_POLICY, printDomainPolicy());
        m.put(EXCEPTION_POLICY, printExceptionPolicy());
        m.put(PROFILE, printProfiles());
        m.putAll(opaque);
        return m;
    }

    /** What the policy says that the kernel does not enforce (file:line: message). */
    public List<PolicyWarning> check() {
        return PolicyCompiler.compile(this, 0).warnings();
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
