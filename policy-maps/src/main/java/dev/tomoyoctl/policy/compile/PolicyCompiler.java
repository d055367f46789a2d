package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.NetworkGroups;
import dev.tomoyoctl.policy.NumberUnion;
import dev.tomoyoctl.policy.NameConditions;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAggregatorKey;
import dev.tomoyoctl.policy.abi.TmyAggregatorVal;
import dev.tomoyoctl.policy.abi.TmyCapVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;
import dev.tomoyoctl.policy.abi.TmySignalKey;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyProfile;
import dev.tomoyoctl.policy.abi.TmyTransitionKey;
import dev.tomoyoctl.policy.model.AclGroupRule;
import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.GroupKind;
import dev.tomoyoctl.policy.model.NetOp;
import dev.tomoyoctl.policy.model.NetProtocol;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.SignalRule;
import dev.tomoyoctl.policy.model.Aggregator;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainFlag;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileArgOp;
import dev.tomoyoctl.policy.model.FileArgRule;
import dev.tomoyoctl.policy.model.MountTypes;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.GroupMember;
import dev.tomoyoctl.policy.model.OtherAcl;
import dev.tomoyoctl.policy.model.OtherProfileLine;
import dev.tomoyoctl.policy.model.ProfileConfig;
import dev.tomoyoctl.policy.model.ProfileLine;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.ProfileVersion;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;
import dev.tomoyoctl.policy.model.UseGroup;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.tomoyoctl.policy.automaton.ArgTail;
import dev.tomoyoctl.policy.automaton.PathAutomaton;
import dev.tomoyoctl.policy.abi.TmyCondKey;
import dev.tomoyoctl.policy.abi.TmyCondRule;

/**
 * Compiles a {@link PolicySet} into the elements of the policy maps of tomoyo_abi.h for one
 * generation, and lists as warnings (file:line) everything kept in the policy that the kernel
 * does not enforce. Linear in the size of the policy (hash maps only).
 *
 * <p>What is compiled (issue 3): every domain (a domain of another namespace, reached with
 * reset_domain, uses the &lt;kernel&gt; profiles and exception policy in the kernel: warned);
 * the exception policy and profiles of the &lt;kernel&gt; namespace; per domain its profile and
 * quota_exceeded flag; unconditional {@code file read/write/append/execute} rules on exact names
 * (TMY_MATCH_EXACT) and, for read/write/append, whole directory subtrees written as TOMOYO's
 * three-pattern idiom (TMY_MATCH_SUBTREE, see {@link SubtreeShape}); the six transition
 * directives with program = exact path or any and from = domain, last name or any; aggregators
 * with an exact original name; profiles 0-255 (mode per category, grant/reject log, quota).
 *
 * <p>tmy_domain_val.learned is set to the domain's current entry count as TOMOYO counts it for
 * max_learning_entry (tomoyo_domain_quota_is_ok: one per permission bit), so that the kernel's
 * quota check "learned &gt;= max_learning_entry" sees what TOMOYO would see; the kernel adds one
 * per permission it learns. tmy_domain_val.subtree_depths has a bit per '/' count of the
 * domain's subtree prefixes, so the kernel looks up only the prefixes that can match.
 */
public final class PolicyCompiler {
    private PolicyCompiler() {}

    static final String KERNEL_NS = DomainId.KERNEL_NAME;
    private static final String NOT_ENFORCED = "not enforced in the kernel yet";

    public static CompiledPolicy compile(PolicySet policy, int generation) {
        List<PolicyWarning> warnings = new ArrayList<>();
        EffectiveProfiles profiles = EffectiveProfiles.of(policy.profilePolicy(), KERNEL_NS);
        ProfileResult pr = compileProfiles(policy, profiles, warnings);
        Map<Integer, List<Located>> aclGroups = aclGroups(policy);

        int domainCount = policy.domainPolicy().size() + 1;
        Map<TmyDomainKey, TmyDomainVal> domains = new LinkedHashMap<>(domainCount * 2);
        Map<Long, String> names = new HashMap<>(domainCount * 2);
        Map<TmyPathKey, TmyPathVal> paths = new LinkedHashMap<>();
        NetMaps net = new NetMaps();
        NetworkGroups groups = NetworkGroups.of(policy.exceptionPolicy());
        Map<Domain, DomainRanges> ranges = new IdentityHashMap<>();
        for (Domain d : policy.domainPolicy().domains()) {
            ranges.put(d, rangeIntervals(d, groups, aclGroups));
        }
        Map<String, Integer> portSetIds = allocatePortSets(ranges.values());
        Map<String, List<String>> pathGroups = pathGroups(policy);
        DfaLayout dfa = new DfaLayout(generation);
        // Domains with the same pattern rules (a /proc/\$/stat in every learned domain) share one
        // automaton: built once, placed once.
        Map<List<PathAutomaton.Rule>, PathAutomaton> automata = new HashMap<>();
        int line = policy.domainPolicy().preamble().size();
        Map<String, EffectiveProfiles> nsProfiles = new HashMap<>();
        Set<String> namespacesWarned = new HashSet<>();
        for (Domain d : policy.domainPolicy().domains()) {
            int headerLine = ++line;
            line += d.lines().size();
            if (!d.namespace().equals(KERNEL_NS)) {
                warnOtherNamespace(policy, d, headerLine, profiles, pr, nsProfiles, namespacesWarned, warnings);
            }
            DomainEntries e = compileDomain(d, headerLine, generation, profiles, pr.quotaZero, aclGroups, groups,
                    ranges.get(d), portSetIds, pathGroups, automata);
            warnings.addAll(e.warnings());
            String prev = names.putIfAbsent(e.key().domain(), d.name());
            if (prev != null) {
                warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, headerLine, "domain id "
                        + PathHash.hex(e.key().domain()) + " collides with domain '" + prev + "'; not compiled"));
                continue;
            }
            TmyDomainVal v = e.value();
            if (e.automaton() != null) {
                v = v.withDfa(dfa.place(e.automaton(), d.name()));
            }
            if (e.unixAutomaton() != null) {
                v = v.withDfaUnix(dfa.place(e.unixAutomaton(), d.name()));
            }
            domains.put(e.key(), v);
            for (Map.Entry<TmyPathKey, TmyPathVal> pe : e.pathRules().entrySet()) {
                paths.merge(pe.getKey(), pe.getValue(), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
            }
            net.inetRules.putAll(e.inetRules());
            net.inetRanges.putAll(e.inetRanges());
            net.portSets.putAll(e.portSets()); // shared port sets: the same entries again
            net.capRules.putAll(e.capRules());
            net.signalRules.putAll(e.signalRules());
            net.condRules.putAll(e.condRules());
        }
        // TOMOYO's <kernel> domain always exists (profile 0 unless the policy says otherwise).
        TmyDomainKey kernelKey = new TmyDomainKey(DomainId.KERNEL, generation);
        if (!domains.containsKey(kernelKey)) {
            domains.put(kernelKey, new TmyDomainVal(0, 0, pr.quotaZero.get(0) ? Abi.TMY_DOMAIN_QUOTA_EXCEEDED : 0, 0, 0));
            names.put(DomainId.KERNEL, KERNEL_NS);
        }

        Set<TmyTransitionKey> transitions = new HashSet<>();
        Map<TmyAggregatorKey, TmyAggregatorVal> aggregators = new LinkedHashMap<>();
        compileExceptions(policy, generation, transitions, aggregators, warnings);

        // an acl_group rule warns once, however many domains use the group
        List<PolicyWarning> unique = new ArrayList<>(new java.util.LinkedHashSet<>(warnings));
        return new CompiledPolicy(generation, pr.profiles, domains, paths, net.inetRules, net.inetRanges, net.portSets,
                net.capRules, net.signalRules, net.condRules, transitions, aggregators, dfa.blocks(), names, unique);
    }

    /**
     * Compiles one domain of the policy (its tmy_domains element and path rules), e.g. after
     * learning added rules to it.
     *
     * @throws IllegalArgumentException if the domain does not exist
     */
    public static DomainEntries compileDomain(PolicySet policy, String domainName, int generation) {
        Domain d = policy.domain(domainName);
        if (d == null) {
            throw new IllegalArgumentException("unknown domain '" + domainName + "'");
        }
        int line = policy.domainPolicy().preamble().size();
        for (Domain x : policy.domainPolicy().domains()) {
            line++;
            if (x == d) {
                break;
            }
            line += x.lines().size();
        }
        EffectiveProfiles profiles = EffectiveProfiles.of(policy.profilePolicy(), KERNEL_NS);
        BitSet quotaZero = new BitSet(256);
        for (int i = 0; i < 256; i++) {
            if (profiles.isDefined(i) && profiles.maxLearningEntry(i) == 0) {
                quotaZero.set(i);
            }
        }
        NetworkGroups groups = NetworkGroups.of(policy.exceptionPolicy());
        Map<Integer, List<Located>> aclGroups = aclGroups(policy);
        DomainRanges own = rangeIntervals(d, groups, aclGroups);
        Map<String, Integer> portSetIds = Map.of();
        if (!own.isEmpty()) {
            // Port set ids are numbered over the whole policy (equal sets shared between domains),
            // so computing them needs every domain's range rules: only done for a domain with ranges.
            List<DomainRanges> all = new ArrayList<>();
            for (Domain x : policy.domainPolicy().domains()) {
                all.add(x == d ? own : rangeIntervals(x, groups, aclGroups));
            }
            portSetIds = allocatePortSets(all);
        }
        return compileDomain(d, line, generation, profiles, quotaZero, aclGroups, groups, own,
                portSetIds, pathGroups(policy), new HashMap<>());
    }

    /** The new maps' entries, accumulated over domains. */
    private static final class NetMaps {
        final Map<TmyInetKey, TmyPathVal> inetRules = new LinkedHashMap<>();
        final Map<TmyInetRangeKey, TmyInetRangeVal> inetRanges = new LinkedHashMap<>();
        final Map<TmyPortKey, TmyPortVal> portSets = new LinkedHashMap<>();
        final Map<TmyDomainKey, TmyCapVal> capRules = new LinkedHashMap<>();
        final Map<TmySignalKey, TmyPathVal> signalRules = new LinkedHashMap<>();
        final Map<TmyCondKey, TmyCondRule> condRules = new LinkedHashMap<>();
    }

    /** A domain's range intervals per family (each sorted and disjoint). */
    record DomainRanges(List<InetRangeCompiler.Interval> v4, List<InetRangeCompiler.Interval> v6) {
        boolean isEmpty() {
            return v4.isEmpty() && v6.isEmpty();
        }

        List<InetRangeCompiler.Interval> of(int family) {
            return family == Abi.TMY_AF_INET ? v4 : v6;
        }
    }

    /** Whether an inet rule goes to tmy_inet_rules (one address, one port) rather than the ranges. */
    static boolean isExactInet(NetworkRule r) {
        if (r.address().startsWith("@") || r.address().indexOf('-') >= 0 || r.port().startsWith("@")) {
            return false;
        }
        int[] p = NumberUnion.parsePort(r.port());
        return p[0] == p[1];
    }

    /** The rules of a domain that go to the ranges, cut into disjoint intervals per family. */
    static DomainRanges rangeIntervals(Domain d, NetworkGroups groups, Map<Integer, List<Located>> aclGroups) {
        List<InetRangeCompiler.RangeRule> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        for (Located loc : linesOf(d, 0, aclGroups)) {
            DomainLine l = loc.line();
            if (!(l instanceof NetworkRule r) || !r.isInet() || r.hasCondition() || r.tmyPerms() == 0
                    || isExactInet(r)) {
                continue;
            }
            List<InetAddresses.Range> addrs = r.address().startsWith("@") ? groups.addressGroup(r.address().substring(1))
                    : List.of(InetAddresses.parseRange(r.address()));
            List<long[]> ports = r.port().startsWith("@") ? groups.numberGroup(r.port().substring(1))
                    : List.of(NumberUnion.parse(r.port()));
            if (addrs == null || ports == null) {
                continue; // an undefined group matches nothing (warned by compileDomain)
            }
            for (InetAddresses.Range a : addrs) {
                for (long[] p : ports) {
                    if (Long.compareUnsigned(p[0], 65535) > 0) {
                        continue; // no port is that large
                    }
                    int hi = Long.compareUnsigned(p[1], 65535) > 0 ? 65535 : (int) p[1];
                    (a.family() == Abi.TMY_AF_INET ? v4 : v6).add(new InetRangeCompiler.RangeRule(a.family(), a.lo(),
                            a.hi(), (int) p[0], hi, r.tmyPerms()));
                }
            }
        }
        return new DomainRanges(InetRangeCompiler.intervals(Abi.TMY_AF_INET, v4),
                InetRangeCompiler.intervals(Abi.TMY_AF_INET6, v6));
    }

    /**
     * Port set ids for every distinct port set of the policy: 1.. in the order of their keys, so
     * the same policy always gets the same ids (compileDomain relies on it).
     */
    static Map<String, Integer> allocatePortSets(Collection<DomainRanges> all) {
        TreeSet<String> keys = new TreeSet<>();
        for (DomainRanges r : all) {
            for (InetRangeCompiler.Interval iv : r.v4()) {
                keys.add(iv.ports().key());
            }
            for (InetRangeCompiler.Interval iv : r.v6()) {
                keys.add(iv.ports().key());
            }
        }
        Map<String, Integer> ids = new HashMap<>(keys.size() * 2);
        int next = 1;
        for (String k : keys) {
            ids.put(k, next++);
        }
        return ids;
    }

    /** Why a (protocol, operation) pair never matches in TOMOYO. */
    static String neverMatches(NetProtocol p, NetOp op) {
        boolean stream = p == NetProtocol.STREAM || p == NetProtocol.SEQPACKET;
        String sock = p == NetProtocol.RAW ? "a raw socket" : stream ? "a " + p.keyword() + " socket"
                : "a datagram socket";
        if (!stream && op == NetOp.CONNECT) {
            return "never matches: TOMOYO checks connect() on " + sock + " as send";
        }
        if (!stream && op == NetOp.LISTEN) {
            return "never matches: listen() is not possible on " + sock;
        }
        return "never matches: TOMOYO checks bind, listen and connect on " + sock + ", not send";
    }

    private static DomainEntries compileDomain(Domain d, int headerLine, int generation, EffectiveProfiles profiles,
                                               BitSet quotaZero, Map<Integer, List<Located>> aclGroups, NetworkGroups groups,
                                               DomainRanges ranges, Map<String, Integer> portSetIds,
                                               Map<String, List<String>> pathGroups,
                                               Map<List<PathAutomaton.Rule>, PathAutomaton> automata) {
        String domainFile = PolicySet.DOMAIN_POLICY;
        List<PolicyWarning> warnings = new ArrayList<>();
        long id = DomainId.of(d.name());
        int profile = d.profile();
        int flags = d.flags().contains(DomainFlag.QUOTA_EXCEEDED) || quotaZero.get(profile)
                ? Abi.TMY_DOMAIN_QUOTA_EXCEEDED : 0;
        Map<TmyPathKey, TmyPathVal> paths = new LinkedHashMap<>();
        Map<String, SubtreeAcc> subtrees = null;
        List<PathAutomaton.Rule> patterns = new ArrayList<>();
        List<PathAutomaton.Rule> unixPatterns = new ArrayList<>();
        Map<TmyCondKey, TmyCondRule> conds = new LinkedHashMap<>();
        Map<TmyInetKey, TmyPathVal> inet = new LinkedHashMap<>();
        long capAllowed = 0;
        Map<TmySignalKey, TmyPathVal> signals = new LinkedHashMap<>();
        int profileLine = 0;
        for (Located loc : linesOf(d, headerLine, aclGroups)) {
            DomainLine l = loc.line();
            String file = loc.file();
            int line = loc.no();
            if (l instanceof FileRule r) {
                int other = r.ops() & ~FileOp.ENFORCED_MASK;
                if (other != 0) {
                    warnings.add(new PolicyWarning(file, line, "file " + FileOp.keywords(other) + ": " + NOT_ENFORCED));
                }
                int perms = r.tmyPerms();
                if (perms == 0) {
                    continue;
                }
                if (r.hasCondition()) {
                    perms = compileLearnedForm(r, perms, id, generation, paths);
                    if (perms != 0) {
                        compileConditional(r, perms, id, generation, groups, pathGroups, file, line, conds, patterns,
                                warnings);
                    }
                    continue;
                }
                if (r.isGroupReference()) {
                    String group = r.path().substring(1);
                    List<String> members = pathGroups.get(group);
                    if (members == null) {
                        warnings.add(new PolicyWarning(file, line, "path_group " + group + " is not defined in "
                                + PolicySet.EXCEPTION_POLICY + ": the rule matches nothing"));
                        continue;
                    }
                    // TOMOYO matches each member (tomoyo_path_matches_group): exact members are
                    // exact keys, patterned ones join the domain's automaton
                    for (String member : members) {
                        if (!TomoyoName.isPatterned(member)) {
                            TmyPathKey k = new TmyPathKey(id, PathHash.of(member), generation, Abi.TMY_MATCH_EXACT);
                            paths.merge(k, new TmyPathVal(perms, 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
                        } else {
                            addPattern(member, perms, file, line, patterns, warnings);
                        }
                    }
                    continue;
                }
                if (!TomoyoName.isPatterned(r.path())) {
                    TmyPathKey k = new TmyPathKey(id, PathHash.of(r.path()), generation, Abi.TMY_MATCH_EXACT);
                    paths.merge(k, new TmyPathVal(perms, 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
                    continue;
                }
                Optional<SubtreeShape.Match> m = SubtreeShape.of(r.path());
                if (m.isEmpty()) {
                    addPattern(r.path(), perms, file, line, patterns, warnings);
                    continue;
                }
                if (subtrees == null) {
                    subtrees = new LinkedHashMap<>();
                }
                subtrees.computeIfAbsent(m.get().prefix(), p -> new SubtreeAcc()).add(m.get().shape(), perms, file, line);
            } else if (l instanceof NetworkRule r) {
                compileNetwork(r, id, generation, groups, pathGroups, file, line, paths, inet, unixPatterns, warnings);
            } else if (l instanceof CapabilityRule c) {
                if (c.hasCondition()) {
                    warnings.add(new PolicyWarning(file, line, "conditions are " + NOT_ENFORCED
                            + "; the rule is not compiled (the kernel does not grant it)"));
                } else {
                    capAllowed |= 1L << c.number();
                }
            } else if (l instanceof SignalRule g) {
                if (g.hasCondition()) {
                    warnings.add(new PolicyWarning(file, line, "conditions are " + NOT_ENFORCED
                            + "; the rule is not compiled (the kernel does not grant it)"));
                } else {
                    signals.put(new TmySignalKey(id, DomainId.of(g.targetDomain()), generation, g.signal()),
                            new TmyPathVal(Abi.TMY_SIGNAL_ALLOWED, 0));
                }
            } else if (l instanceof OtherAcl o && FileArgRule.of(o) != null) {
                compileFileArg(FileArgRule.of(o), id, generation, groups, pathGroups, file, line, paths, patterns,
                        conds, warnings);
            } else if (l instanceof OtherAcl o) {
                warnings.add(new PolicyWarning(file, line, o.keyword() + ": " + NOT_ENFORCED));
            } else if (l instanceof dev.tomoyoctl.policy.model.UseProfile) {
                profileLine = line;
            }
        }
        int depths = 0;
        if (subtrees != null) {
            for (Map.Entry<String, SubtreeAcc> e : subtrees.entrySet()) {
                if (e.getValue().compile(e.getKey(), id, generation, paths, patterns, warnings)) {
                    depths |= TmyDomainVal.depthBit(slashes(e.getKey()));
                }
            }
        }
        if (!profiles.isDefined(profile)) {
            warnings.add(new PolicyWarning(domainFile, profileLine > 0 ? profileLine : headerLine, "profile " + profile
                    + " is not defined in " + PolicySet.PROFILE + "; the kernel treats the domain as disabled"));
        }
        Map<TmyInetRangeKey, TmyInetRangeVal> inetRanges = new LinkedHashMap<>();
        Map<TmyPortKey, TmyPortVal> portSets = new LinkedHashMap<>();
        if (!ranges.isEmpty()) {
            flags |= Abi.TMY_DOMAIN_INET_RANGES;
            Set<Integer> done = new HashSet<>();
            for (List<InetRangeCompiler.Interval> ivs : List.of(ranges.v4(), ranges.v6())) {
                InetRangeCompiler.rangeEntries(id, generation, ivs, portSetIds, inetRanges);
                for (InetRangeCompiler.Interval iv : ivs) {
                    int psid = portSetIds.get(iv.ports().key());
                    if (done.add(psid)) {
                        InetRangeCompiler.portEntries(generation, psid, iv.ports(), portSets);
                    }
                }
            }
            // An exact entry is found first: give it what the ranges grant at that point too, so
            // the answer is the same whether or not the kernel goes on to the ranges after a hit.
            for (Map.Entry<TmyInetKey, TmyPathVal> e : inet.entrySet()) {
                TmyInetKey k = e.getKey();
                int more = InetRangeCompiler.permsAt(ranges.of(k.family()), k.family(),
                        InetAddresses.toInteger(k.addr(), k.family()), k.port());
                e.setValue(new TmyPathVal(e.getValue().perms() | more, 0));
            }
        }
        Map<TmyDomainKey, TmyCapVal> caps = capAllowed == 0 ? Map.of()
                : Map.of(new TmyDomainKey(id, generation), new TmyCapVal(capAllowed, 0));
        TmyDomainVal val = new TmyDomainVal(parentId(d.name()), profile, flags, d.quotaCount(), depths)
                .withConds(conds.size());
        PathAutomaton automaton = automaton(patterns, automata, domainFile, headerLine, d.name(), "file");
        PathAutomaton unixAutomaton = automaton(unixPatterns, automata, domainFile, headerLine, d.name(), "network unix");
        return new DomainEntries(d.name(), new TmyDomainKey(id, generation), val, paths, inet, inetRanges, portSets,
                caps, signals, automaton, unixAutomaton, conds, warnings);
    }

    private static PathAutomaton automaton(List<PathAutomaton.Rule> rules,
                                           Map<List<PathAutomaton.Rule>, PathAutomaton> automata, String file, int line,
                                           String domain, String what) {
        if (rules.isEmpty()) {
            return null;
        }
        PathAutomaton known = automata.get(rules);
        if (known != null) {
            return known;
        }
        try {
            PathAutomaton a = PathAutomaton.build(rules);
            automata.put(List.copyOf(rules), a);
            return a;
        } catch (PathAutomaton.TooLargeException e) {
            throw new IllegalArgumentException(file + ":" + line + ": domain '" + domain + "', " + what + " patterns: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A file rule with a condition: on an exact name, with a condition the kernel evaluates
     * ({@link ConditionCompiler}), it becomes the domain's next tmy_cond_rules entry; otherwise
     * it is reported and not compiled (the kernel does not grant it).
     */
    private static void compileConditional(FileRule r, int perms, long id, int generation, NetworkGroups groups,
                                           Map<String, List<String>> pathGroups, String file, int line,
                                           Map<TmyCondKey, TmyCondRule> conds, List<PathAutomaton.Rule> patterns,
                                           List<PolicyWarning> warnings) {
        String notCompiled = "; the rule is not compiled (the kernel does not grant it)";
        List<String> matched = null; // the names or patterns of a rule the automaton marks
        if (r.isGroupReference()) {
            matched = pathGroups.get(r.path().substring(1));
            if (matched == null) {
                warnings.add(new PolicyWarning(file, line, "path_group " + r.path().substring(1) + " is not defined in "
                        + PolicySet.EXCEPTION_POLICY + ": the rule matches nothing"));
                return;
            }
        } else if (TomoyoName.isPatterned(r.path())) {
            matched = List.of(r.path());
        }
        if (matched != null && (perms & Abi.TMY_PERM_EXECUTE) != 0) {
            warnings.add(new PolicyWarning(file, line, "file execute on a pattern or path_group with a condition: "
                    + NOT_ENFORCED + " (TOMOYO names the new domain after the pattern; the kernel cannot); the "
                    + "permission is not compiled"));
            perms &= ~Abi.TMY_PERM_EXECUTE;
            if (perms == 0) {
                return;
            }
        }
        ConditionCompiler.Result c = ConditionCompiler.compile(r.condition(), groups, pathGroups);
        if (c instanceof ConditionCompiler.NotCompiled nc) {
            warnings.add(new PolicyWarning(file, line, "condition " + nc.reason() + ": " + NOT_ENFORCED + notCompiled));
            return;
        }
        // TOMOYO knows exec.* only in the execute check of an exec and symlink.target only in
        // "file symlink": elsewhere tomoyo_condition() fails. Compiled anyway (the kernel's clause
        // is false there too), reported as the other never-matching rules are.
        for (TmyCondRule.Clause cl : ((ConditionCompiler.Clauses) c).clauses()) {
            int wrong = cl.left() == Abi.TMY_CV_SYMLINK_TARGET ? perms & ~Abi.TMY_PERM_SYMLINK
                    : cl.left() == Abi.TMY_CV_EXEC_REALPATH || cl.left() == Abi.TMY_CV_EXEC_ARGV0
                    ? perms & ~Abi.TMY_PERM_EXECUTE : 0;
            if (wrong != 0) {
                String var = cl.left() == Abi.TMY_CV_SYMLINK_TARGET ? NameConditions.SYMLINK_TARGET
                        : cl.left() == Abi.TMY_CV_EXEC_REALPATH ? NameConditions.EXEC_REALPATH : NameConditions.EXEC_ARGV0;
                warnings.add(new PolicyWarning(file, line, "never matches: " + var + " is known only in 'file "
                        + (cl.left() == Abi.TMY_CV_SYMLINK_TARGET ? "symlink" : "execute") + "', not in 'file "
                        + FileOp.keywords(FileOp.fromTmyPerms(wrong)) + "'"));
            }
        }
        if (conds.size() >= Abi.TMY_COND_MAX) {
            warnings.add(new PolicyWarning(file, line, "more than " + Abi.TMY_COND_MAX + " conditional rules in one "
                    + "domain: " + NOT_ENFORCED + notCompiled));
            return;
        }
        long hash;
        if (matched == null) {
            hash = PathHash.of(r.path());
        } else {
            // the automaton marks the names the rule's patterns match; the rule applies to them
            int k = nextMark(conds);
            if (k < 0) {
                warnings.add(new PolicyWarning(file, line, "more than " + Abi.TMY_COND_MARK_MAX + " conditional rules on "
                        + "patterns or path_groups in one domain: " + NOT_ENFORCED + notCompiled));
                return;
            }
            for (String name : matched) {
                patterns.add(new PathAutomaton.Rule(name, Abi.TMY_DFA_MARK0 << k));
            }
            hash = Abi.TMY_COND_MARK_BASE | k;
        }
        conds.put(new TmyCondKey(id, generation, conds.size()),
                new TmyCondRule(hash, perms, ((ConditionCompiler.Clauses) c).clauses()));
    }

    /**
     * The next free mark of a domain's conditional pattern rules (tomoyo_abi.h TMY_DFA_MARK0), or
     * -1 if all TMY_COND_MARK_MAX are taken.
     */
    private static int nextMark(Map<TmyCondKey, TmyCondRule> conds) {
        int k = (int) conds.values().stream().filter(x -> (x.pathHash() & ~7L) == Abi.TMY_COND_MARK_BASE).count();
        return k < Abi.TMY_COND_MARK_MAX ? k : -1;
    }

    /**
     * The learned forms of issue 6 (tomoyo_abi.h "learned conditions on names"): {@code file
     * execute NAME exec.realpath="R" [exec.argv[0]="A"]} (either order) and {@code file symlink
     * NAME symlink.target="T"}, on an exact NAME with plain quoted values and nothing else in the
     * condition, are one exact tmy_path_rules key each: the fold of hash(NAME) with hash(R)
     * [, hash(A)] or hash(T). Returns the permissions left for the conditional rule (the other
     * operations of the line, or all of them if the condition is not such a form).
     */
    static int compileLearnedForm(FileRule r, int perms, long id, int generation, Map<TmyPathKey, TmyPathVal> paths) {
        if (r.isGroupReference() || TomoyoName.isPatterned(r.path())) {
            return perms;
        }
        String realpath = null, argv0 = null, target = null;
        for (String w : r.condition().split(" ")) {
            int eq = w.indexOf('=');
            if (eq <= 0 || w.charAt(eq - 1) == '!') {
                return perms;
            }
            String left = w.substring(0, eq);
            String v = NameConditions.quotedValue(w.substring(eq + 1));
            if (v == null || TomoyoName.isPatterned(v)) {
                return perms;
            }
            if (left.equals(NameConditions.EXEC_REALPATH) && realpath == null) {
                realpath = v;
            } else if (left.equals(NameConditions.EXEC_ARGV0) && argv0 == null) {
                argv0 = v;
            } else if (left.equals(NameConditions.SYMLINK_TARGET) && target == null) {
                target = v;
            } else {
                return perms;
            }
        }
        int bit;
        long key;
        try {
            if (realpath != null && target == null && (perms & Abi.TMY_PERM_EXECUTE) != 0) {
                bit = Abi.TMY_PERM_EXECUTE;
                key = argv0 == null ? NameConditions.keyOfEncoded(PathHash.of(r.path()), realpath)
                        : NameConditions.keyOfEncoded(PathHash.of(r.path()), realpath, argv0);
            } else if (target != null && realpath == null && argv0 == null && (perms & Abi.TMY_PERM_SYMLINK) != 0) {
                bit = Abi.TMY_PERM_SYMLINK;
                key = NameConditions.keyOfEncoded(PathHash.of(r.path()), target);
            } else {
                return perms;
            }
        } catch (IllegalArgumentException e) {
            return perms; // a value that does not decode: the conditional path reports it
        }
        paths.merge(new TmyPathKey(id, key, generation, Abi.TMY_MATCH_EXACT), new TmyPathVal(bit, 0),
                (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
        return perms & ~bit;
    }

    /**
     * A file rule on a pattern joins the domain's automaton, except its execute permission: when
     * a pattern grants execute, TOMOYO names the new domain after the pattern text
     * (tomoyo_find_next_domain), which the kernel cannot reproduce.
     */
    private static void addPattern(String pattern, int perms, String file, int line, List<PathAutomaton.Rule> patterns,
                                   List<PolicyWarning> warnings) {
        if ((perms & Abi.TMY_PERM_EXECUTE) != 0) {
            warnings.add(new PolicyWarning(file, line, "file execute on pattern " + pattern + ": "
                    + NOT_ENFORCED + " (TOMOYO names the new domain after the pattern; the kernel cannot); the "
                    + "permission is not compiled"));
            perms &= ~Abi.TMY_PERM_EXECUTE;
        }
        if (perms != 0) {
            patterns.add(new PathAutomaton.Rule(pattern, perms));
        }
    }

    /** path_group NAME MEMBER lines of the &lt;kernel&gt; namespace, members in policy order. */
    static Map<String, List<String>> pathGroups(PolicySet policy) {
        Map<String, List<String>> m = new HashMap<>();
        for (ExceptionLine l : policy.exceptionPolicy().lines()) {
            if (l instanceof GroupMember g && g.kind() == GroupKind.PATH && l.effectiveNamespace().equals(KERNEL_NS)) {
                m.computeIfAbsent(g.group(), k -> new ArrayList<>()).add(g.member());
            }
        }
        return m;
    }

    /**
     * One "file create/mkdir/.../rename" rule, per operation: when it stands for at most
     * FileArgRule.MAX_OBJECTS exact objects "NAME1\0ARG" (tomoyo_abi.h TMY_PERM_CREATE: exact
     * names, path_groups of them, numbers, small ranges and number_groups), one exact
     * tmy_path_rules entry each (one hash lookup in the kernel); otherwise (patterns, path_groups
     * with patterns, wide ranges) one automaton rule per first name over the whole object
     * ({@link ArgTail}), which the kernel walks after the exact lookup missed. With a condition,
     * each exact object is one conditional rule ({@link #compileFileArgConditional}).
     */
    private static void compileFileArg(FileArgRule r, long id, int generation, NetworkGroups groups,
                                       Map<String, List<String>> pathGroups, String file, int line,
                                       Map<TmyPathKey, TmyPathVal> paths, List<PathAutomaton.Rule> patterns,
                                       Map<TmyCondKey, TmyCondRule> conds, List<PolicyWarning> warnings) {
        if (!r.condition().isEmpty()) {
            compileFileArgConditional(r, id, generation, groups, pathGroups, file, line, conds, patterns, warnings);
            return;
        }
        String[] why = new String[1];
        for (FileArgOp op : FileArgOp.values()) {
            if ((r.ops() & op.bit()) == 0) {
                continue;
            }
            List<byte[]> objects = r.objects(op, pathGroups, groups::numberGroup, why);
            if (objects != null) {
                for (byte[] object : objects) {
                    TmyPathKey k = new TmyPathKey(id, PathHash.ofRaw(object), generation, Abi.TMY_MATCH_EXACT);
                    paths.merge(k, new TmyPathVal(op.tmyPerm(), 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
                }
                continue;
            }
            List<PathAutomaton.Rule> rules = argRules(r, op, pathGroups, groups, why);
            if (rules == null) {
                warnings.add(new PolicyWarning(file, line, "file " + op.keyword() + ": " + why[0]
                        + ": the rule matches nothing"));
                continue;
            }
            patterns.addAll(rules);
        }
    }

    /**
     * A "file create/.../rename" rule with a condition: one tmy_cond_rules entry per operation and
     * exact object "NAME1\0ARG" (the kernel evaluates the domain's conditional rules on the
     * object's hash after its other rules missed; path1.* is the first file, whose inode a name
     * being created does not have, as in TOMOYO). A rule on patterns or wide ranges is one
     * conditional pattern rule: its automaton rules set a mark ({@link #nextMark}). Sets of more
     * objects than the domain's conditional rules can hold, and conditions on mount (whose path1
     * is the device, which the kernel cannot resolve) are reported and not compiled.
     */
    private static void compileFileArgConditional(FileArgRule r, long id, int generation, NetworkGroups groups,
                                                  Map<String, List<String>> pathGroups, String file, int line,
                                                  Map<TmyCondKey, TmyCondRule> conds, List<PathAutomaton.Rule> patterns,
                                                  List<PolicyWarning> warnings) {
        String notCompiled = "; the rule is not compiled (the kernel does not grant it)";
        if (r.family() == FileArgOp.Family.MOUNT) {
            warnings.add(new PolicyWarning(file, line, "conditions on file mount are " + NOT_ENFORCED + notCompiled));
            return;
        }
        ConditionCompiler.Result c = ConditionCompiler.compile(r.condition(), groups, pathGroups);
        if (c instanceof ConditionCompiler.NotCompiled nc) {
            warnings.add(new PolicyWarning(file, line, "condition " + nc.reason() + ": " + NOT_ENFORCED + notCompiled));
            return;
        }
        List<TmyCondRule.Clause> clauses = ((ConditionCompiler.Clauses) c).clauses();
        for (TmyCondRule.Clause cl : clauses) {
            if (cl.left() == Abi.TMY_CV_SYMLINK_TARGET || cl.left() == Abi.TMY_CV_EXEC_REALPATH
                    || cl.left() == Abi.TMY_CV_EXEC_ARGV0) {
                warnings.add(new PolicyWarning(file, line, "never matches: exec.* and symlink.target are known only in "
                        + "'file execute' and 'file symlink', not in 'file " + FileArgOp.keywords(r.ops()) + "'"));
                break;
            }
        }
        String[] why = new String[1];
        for (FileArgOp op : FileArgOp.values()) {
            if ((r.ops() & op.bit()) == 0) {
                continue;
            }
            List<byte[]> objects = r.objects(op, pathGroups, groups::numberGroup, why);
            if (objects == null) {
                List<PathAutomaton.Rule> rules = argRules(r, op, pathGroups, groups, why);
                int k = nextMark(conds);
                if (rules == null || k < 0 || conds.size() >= Abi.TMY_COND_MAX) {
                    warnings.add(new PolicyWarning(file, line, "file " + op.keyword() + " with a condition: "
                            + (rules == null ? why[0] : k < 0 ? "more than " + Abi.TMY_COND_MARK_MAX + " conditional "
                            + "rules on patterns or path_groups in one domain" : "more than " + Abi.TMY_COND_MAX
                            + " conditional rules in one domain") + ": " + NOT_ENFORCED + notCompiled));
                    continue;
                }
                for (PathAutomaton.Rule x : rules) {
                    patterns.add(new PathAutomaton.Rule(x.pattern(), Abi.TMY_DFA_MARK0 << k, x.tail()));
                }
                conds.put(new TmyCondKey(id, generation, conds.size()),
                        new TmyCondRule(Abi.TMY_COND_MARK_BASE | k, op.tmyPerm(), clauses));
                continue;
            }
            if (conds.size() + objects.size() > Abi.TMY_COND_MAX) {
                warnings.add(new PolicyWarning(file, line, "file " + op.keyword() + " with a condition stands for "
                        + objects.size() + " objects, more than the " + (Abi.TMY_COND_MAX - conds.size()) + " conditional "
                        + "rules the domain has left (" + Abi.TMY_COND_MAX + " in all): " + NOT_ENFORCED + notCompiled));
                continue;
            }
            for (byte[] object : objects) {
                conds.put(new TmyCondKey(id, generation, conds.size()),
                        new TmyCondRule(PathHash.ofRaw(object), op.tmyPerm(), clauses));
            }
        }
    }

    /**
     * The automaton rules of operation op of r: one per first name (the word, or each member of
     * its path_group), each with the argument as an {@link ArgTail}. Null, with the reason in
     * why[0], if a group it names is not defined.
     */
    private static List<PathAutomaton.Rule> argRules(FileArgRule r, FileArgOp op, Map<String, List<String>> pathGroups,
                                                     NetworkGroups groups, String[] why) {
        if (op.family() == FileArgOp.Family.MOUNT) {
            return mountRules(r, pathGroups, groups, why);
        }
        List<String> firsts = namesOf(r.path(), pathGroups, why);
        if (firsts == null) {
            return null;
        }
        ArgTail tail;
        if (op.family() == FileArgOp.Family.PATH2) {
            List<String> seconds = namesOf(r.args().get(0), pathGroups, why);
            if (seconds == null) {
                return null;
            }
            tail = new ArgTail.Names(seconds);
        } else {
            List<ArgTail.Number> words = new ArrayList<>();
            for (int i = 0; i < r.args().size(); i++) {
                String a = r.args().get(i);
                List<long[]> ranges = a.startsWith("@") ? groups.numberGroup(a.substring(1)) : List.of(NumberUnion.parse(a));
                if (ranges == null) {
                    why[0] = "number_group " + a.substring(1) + " is not defined in " + PolicySet.EXCEPTION_POLICY;
                    return null;
                }
                FileArgOp.Radix radix = i == 0 ? op.radix() : FileArgOp.Radix.DECIMAL;
                int base = radix == FileArgOp.Radix.OCTAL ? 8 : radix == FileArgOp.Radix.HEX ? 16 : 10;
                words.add(new ArgTail.Number(base, ranges.stream().map(x -> new ArgTail.Range(x[0], x[1])).toList()));
            }
            tail = new ArgTail.Numbers(words);
        }
        List<PathAutomaton.Rule> out = new ArrayList<>();
        for (String first : firsts) {
            out.add(new PathAutomaton.Rule(first, op.tmyPerm(), tail));
        }
        return out;
    }

    /**
     * "file mount DEV DIR TYPE FLAGS" as automaton rules over "DIR\0TYPE\0FLAGS\0DEV": one per
     * mount point and type; where TOMOYO ignores the device ({@link MountTypes}) any DEV matches.
     */
    private static List<PathAutomaton.Rule> mountRules(FileArgRule r, Map<String, List<String>> pathGroups,
                                                       NetworkGroups groups, String[] why) {
        List<String> devs = namesOf(r.path(), pathGroups, why);
        List<String> dirs = devs == null ? null : namesOf(r.args().get(0), pathGroups, why);
        List<String> types = dirs == null ? null : namesOf(r.args().get(1), pathGroups, why);
        if (types == null) {
            return null;
        }
        String f = r.args().get(2);
        List<long[]> ranges = f.startsWith("@") ? groups.numberGroup(f.substring(1)) : List.of(NumberUnion.parse(f));
        if (ranges == null) {
            why[0] = "number_group " + f.substring(1) + " is not defined in " + PolicySet.EXCEPTION_POLICY;
            return null;
        }
        ArgTail.Numbers flags = new ArgTail.Numbers(List.of(new ArgTail.Number(16,
                ranges.stream().map(x -> new ArgTail.Range(x[0], x[1])).toList())));
        List<PathAutomaton.Rule> out = new ArrayList<>();
        for (String type : types) {
            ArgTail dev = MountTypes.ignoresDevice(type) ? new ArgTail.AnyName() : new ArgTail.Names(devs);
            ArgTail tail = new ArgTail.Seq(List.of(new ArgTail.Names(List.of(type)), flags, dev));
            for (String dir : dirs) {
                out.add(new PathAutomaton.Rule(dir, Abi.TMY_PERM_MOUNT, tail));
            }
        }
        return out;
    }

    /** A word's names as written: itself, or the members of its @path_group (null if undefined). */
    private static List<String> namesOf(String word, Map<String, List<String>> pathGroups, String[] why) {
        if (!word.startsWith("@")) {
            return List.of(word);
        }
        List<String> members = pathGroups.get(word.substring(1));
        if (members == null || members.isEmpty()) {
            why[0] = "path_group " + word.substring(1) + " is not defined in " + PolicySet.EXCEPTION_POLICY;
            return null;
        }
        return members;
    }

    /** One network rule: warnings, unix exact names to tmy_path_rules, exact inet to tmy_inet_rules. */
    private static void compileNetwork(NetworkRule r, long id, int generation, NetworkGroups groups,
                                       Map<String, List<String>> pathGroups, String file, int line,
                                       Map<TmyPathKey, TmyPathVal> paths, Map<TmyInetKey, TmyPathVal> inet,
                                       List<PathAutomaton.Rule> unixPatterns, List<PolicyWarning> warnings) {
        String head = "network " + r.family() + " " + r.protocol().keyword() + " ";
        for (NetOp op : NetOp.values()) {
            if ((r.neverMatchingOps() & op.bit()) != 0) {
                warnings.add(new PolicyWarning(file, line, head + op.keyword() + ": "
                        + neverMatches(r.protocol(), op)));
            }
        }
        int perms = r.tmyPerms();
        if (perms == 0) {
            return;
        }
        if (r.hasCondition()) {
            warnings.add(new PolicyWarning(file, line, "conditions are " + NOT_ENFORCED
                    + "; the rule is not compiled (the kernel does not grant it)"));
            return;
        }
        if (!r.isInet()) {
            List<String> names = List.of(r.address());
            if (r.address().startsWith("@")) {
                names = pathGroups.get(r.address().substring(1));
                if (names == null) {
                    warnings.add(new PolicyWarning(file, line, "path_group " + r.address().substring(1)
                            + " is not defined in " + PolicySet.EXCEPTION_POLICY + ": the rule matches nothing"));
                    return;
                }
            }
            for (String name : names) {
                if (TomoyoName.isPatterned(name)) {
                    // matched by the domain's unix address automaton (tmy_domain_val.dfa_unix)
                    unixPatterns.add(new PathAutomaton.Rule(name, perms));
                    continue;
                }
                long hash = PathHash.ofRaw(name.equals(NetworkRule.ANONYMOUS)
                        ? NetworkRule.ANONYMOUS.getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                        : TomoyoName.decode(name));
                paths.merge(new TmyPathKey(id, hash, generation, Abi.TMY_MATCH_UNIX), new TmyPathVal(perms, 0),
                        (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
            }
            return;
        }
        if (r.address().startsWith("@") && groups.addressGroup(r.address().substring(1)) == null) {
            warnings.add(new PolicyWarning(file, line, "address_group " + r.address().substring(1)
                    + " is not defined in " + PolicySet.EXCEPTION_POLICY + ": the rule matches nothing"));
        }
        if (r.port().startsWith("@") && groups.numberGroup(r.port().substring(1)) == null) {
            warnings.add(new PolicyWarning(file, line, "number_group " + r.port().substring(1)
                    + " is not defined in " + PolicySet.EXCEPTION_POLICY + ": the rule matches nothing"));
        }
        if (!isExactInet(r)) {
            return; // compiled with the domain's other range rules (rangeIntervals)
        }
        InetAddresses.Range a = InetAddresses.parseRange(r.address());
        int port = NumberUnion.parsePort(r.port())[0];
        inet.merge(new TmyInetKey(id, generation, a.family(), port, InetAddresses.toBytes16(a.lo(), a.family())),
                new TmyPathVal(perms, 0), (x, y) -> new TmyPathVal(x.perms() | y.perms(), 0));
    }

    /** Permission bits granted per {@link SubtreeShape} for one prefix in one domain. */
    private static final class SubtreeAcc {
        final int[] bits = new int[SubtreeShape.values().length];
        final List<int[]> rules = new ArrayList<>(); // {line, shape ordinal, perms}
        final List<String> files = new ArrayList<>(); // the file of each rule

        void add(SubtreeShape s, int perms, String file, int line) {
            bits[s.ordinal()] |= perms;
            rules.add(new int[] {line, s.ordinal(), perms});
            files.add(file);
        }

        /** Adds the SUBTREE key if the rules grant something on the whole subtree; true if added. */
        boolean compile(String prefix, long domain, int generation, Map<TmyPathKey, TmyPathVal> paths,
                        List<PathAutomaton.Rule> patterns, List<PolicyWarning> warnings) {
            int whole = SubtreeShape.wholeSubtreeBits(bits) & ~Abi.TMY_PERM_EXECUTE;
            if (whole != 0) {
                TmyPathKey k = new TmyPathKey(domain, PathHash.of(prefix), generation, Abi.TMY_MATCH_SUBTREE);
                paths.merge(k, new TmyPathVal(whole, 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
            }
            for (int i = 0; i < rules.size(); i++) {
                int[] r = rules.get(i);
                int left = r[2] & ~whole;
                if ((left & Abi.TMY_PERM_EXECUTE) != 0) {
                    warnings.add(new PolicyWarning(files.get(i), r[0], "file execute on pattern "
                            + prefix + SubtreeShape.values()[r[1]].suffix() + ": " + NOT_ENFORCED + " (TOMOYO names "
                            + "the new domain after the pattern; the kernel cannot); the permission is not compiled"));
                    left &= ~Abi.TMY_PERM_EXECUTE;
                }
                if (left != 0) { // part of a subtree: the automaton matches it exactly
                    patterns.add(new PathAutomaton.Rule(prefix + SubtreeShape.values()[r[1]].suffix(), left));
                }
            }
            return whole != 0;
        }
    }

    /** tmy_domain_val.parent: the id of the name minus its last word, 0 for a root. */
    public static long parentId(String domainName) {
        int sp = domainName.lastIndexOf(' ');
        return sp < 0 ? 0 : DomainId.of(domainName.substring(0, sp));
    }

    /** '/' characters of an encoded name ('/' is never escaped, so the raw count is the same). */
    static int slashes(String name) {
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    /**
     * A domain outside &lt;kernel&gt; (reached with reset_domain) is compiled, but the kernel has
     * one profile table and one set of transition rules: say where TOMOYO would differ.
     */
    private static void warnOtherNamespace(PolicySet policy, Domain d, int line, EffectiveProfiles kernelProfiles,
                                           ProfileResult pr, Map<String, EffectiveProfiles> nsProfiles,
                                           Set<String> warned, List<PolicyWarning> warnings) {
        String ns = d.namespace();
        EffectiveProfiles own = nsProfiles.computeIfAbsent(ns, n -> EffectiveProfiles.of(policy.profilePolicy(), n));
        int p = d.profile();
        if (own.isDefined(p) && !compileProfile(own, p, new ArrayList<>(), new BitSet()).equals(pr.profiles.get(p))) {
            warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, line, "profile " + p + " of namespace " + ns
                    + " differs from <kernel>'s profile " + p + "; the kernel has one profile table and uses <kernel>'s"));
        }
        if (warned.add(ns)) {
            boolean rules = false;
            for (ExceptionLine l : policy.exceptionPolicy().lines()) {
                rules |= l instanceof TransitionControl || l instanceof Aggregator;
            }
            if (rules) {
                warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, line, "namespace " + ns + ": the kernel applies "
                        + "the <kernel> namespace's transition rules and aggregators to its domains; TOMOYO applies "
                        + ns + "'s own"));
            }
        }
    }

    /** A domain line and where it was written (an acl_group rule is written in the exception policy). */
    record Located(DomainLine line, String file, int no) {}

    /** acl_group N RULE lines of the &lt;kernel&gt; namespace by group, with their exception_policy.conf line. */
    static Map<Integer, List<Located>> aclGroups(PolicySet policy) {
        Map<Integer, List<Located>> m = new HashMap<>();
        int line = 0;
        for (ExceptionLine l : policy.exceptionPolicy().lines()) {
            line++;
            if (l instanceof AclGroupRule g && l.effectiveNamespace().equals(KERNEL_NS)) {
                m.computeIfAbsent(g.group(), k -> new ArrayList<>()).add(new Located(g.rule(), PolicySet.EXCEPTION_POLICY,
                        line));
            }
        }
        return m;
    }

    /**
     * The lines a domain's rules come from: its own (numbered from its header line), then the
     * rules of every acl_group it uses (TOMOYO checks a domain's own ACL, then those of its
     * use_group lines' groups).
     */
    static List<Located> linesOf(Domain d, int headerLine, Map<Integer, List<Located>> aclGroups) {
        List<Located> out = new ArrayList<>(d.lines().size());
        int line = headerLine;
        for (DomainLine l : d.lines()) {
            out.add(new Located(l, PolicySet.DOMAIN_POLICY, ++line));
        }
        for (DomainLine l : d.lines()) {
            if (l instanceof UseGroup g) {
                out.addAll(aclGroups.getOrDefault(g.group(), List.of()));
            }
        }
        return out;
    }

    private static void compileExceptions(PolicySet policy, int generation, Set<TmyTransitionKey> transitions,
                                          Map<TmyAggregatorKey, TmyAggregatorVal> aggregators,
                                          List<PolicyWarning> warnings) {
        String file = PolicySet.EXCEPTION_POLICY;
        Map<Long, Integer> aggregatorLine = new HashMap<>();
        int line = 0;
        for (ExceptionLine l : policy.exceptionPolicy().lines()) {
            line++;
            if (!l.effectiveNamespace().equals(KERNEL_NS)) {
                warnings.add(new PolicyWarning(file, line, "namespace " + l.namespace() + ": only the <kernel> "
                        + "namespace is compiled; " + NOT_ENFORCED));
                continue;
            }
            if (l instanceof TransitionControl t) {
                compileTransition(t, line, generation, transitions, policy.domainPolicy().asMap().keySet(), warnings);
            } else if (l instanceof Aggregator a) {
                if (TomoyoName.isPatterned(a.original())) {
                    warnings.add(new PolicyWarning(file, line, "aggregator with pattern " + a.original() + ": "
                            + NOT_ENFORCED + " (only exact program names are)"));
                    continue;
                }
                long h = PathHash.of(a.original());
                Integer first = aggregatorLine.putIfAbsent(h, line);
                if (first != null) {
                    warnings.add(new PolicyWarning(file, line, "aggregator for " + a.original()
                            + " is shadowed by line " + first + " (the first match wins)"));
                    continue;
                }
                aggregators.put(new TmyAggregatorKey(h, generation), new TmyAggregatorVal(PathHash.of(a.aggregated()),
                        DomainId.of("<" + a.aggregated() + ">")));
            }
        }
    }

    private static void compileTransition(TransitionControl t, int line, int generation,
                                          Set<TmyTransitionKey> transitions, Set<String> definedDomains,
                                          List<PolicyWarning> warnings) {
        String file = PolicySet.EXCEPTION_POLICY;
        long program = 0;
        if (t.program() != null) {
            if (TomoyoName.isPatterned(t.program())) {
                // tomoyo_scan_transition() compares the program with tomoyo_pathcmp(): a pattern
                // only equals a program name that is itself that pattern text.
                warnings.add(new PolicyWarning(file, line, t.type().keyword() + " with program pattern " + t.program()
                        + ": TOMOYO compares it literally (it matches only a domain named after an execute "
                        + "pattern); " + NOT_ENFORCED));
                return;
            }
            program = PathHash.of(t.program());
        }
        long from = 0;
        int fromKind = Abi.TMY_FROM_ANY;
        if (t.domain() != null) {
            if (t.isLastName()) {
                if (TomoyoName.isPatterned(t.domain())) {
                    warnings.add(new PolicyWarning(file, line, t.type().keyword() + " from pattern " + t.domain()
                            + ": TOMOYO compares it literally; " + NOT_ENFORCED));
                    return;
                }
                from = PathHash.of(t.domain());
                fromKind = Abi.TMY_FROM_LASTNAME;
            } else {
                from = DomainId.of(t.domain());
                fromKind = Abi.TMY_FROM_DOMAIN;
            }
        }
        if (t.type() == TransitionType.RESET && t.program() != null && !definedDomains.contains("<" + t.program() + ">")) {
            warnings.add(new PolicyWarning(file, line, "reset_domain: the target domain <" + t.program() + "> is not "
                    + "defined in " + PolicySet.DOMAIN_POLICY + "; the exec will be refused, as in TOMOYO"));
        }
        transitions.add(new TmyTransitionKey(program, from, generation, t.type().abiValue(), fromKind));
    }

    private record ProfileResult(List<TmyProfile> profiles, BitSet quotaZero) {}

    private static ProfileResult compileProfiles(PolicySet policy, EffectiveProfiles ep, List<PolicyWarning> warnings) {
        String file = PolicySet.PROFILE;
        int line = 0;
        for (ProfileLine l : policy.profilePolicy().lines()) {
            line++;
            if (!l.effectiveNamespace().equals(KERNEL_NS)) {
                warnings.add(new PolicyWarning(file, line, "namespace " + l.namespace() + ": the kernel has one "
                        + "profile table, <kernel>'s; " + NOT_ENFORCED));
                continue;
            }
            if (l instanceof ProfileVersion v && v.version() != ProfileVersion.CURRENT
                    && v.version() != ProfileVersion.CONVERTIBLE) {
                warnings.add(new PolicyWarning(file, line, "PROFILE_VERSION " + v.version() + " is not supported by "
                        + "TOMOYO 2.6 (20150505)"));
            } else if (l instanceof OtherProfileLine) {
                warnings.add(new PolicyWarning(file, line, "unknown profile setting: " + NOT_ENFORCED));
            } else if (l instanceof ProfileConfig c && c.category() != null) {
                if (c.category().equals("misc")) {
                    warnings.add(new PolicyWarning(file, line, "category " + c.category() + ": " + NOT_ENFORCED
                            + " (file, network, capability and ipc are)"));
                } else if (!c.category().equals("file")) {
                    if (c.operation() != null) {
                        warnings.add(new PolicyWarning(file, line, c.category() + "::" + c.operation() + ": a mode per "
                                + "operation is " + NOT_ENFORCED + "; the kernel uses CONFIG::" + c.category()
                                + " for the whole category"));
                    }
                } else if (c.operation() != null && !c.operation().equals("open") && !c.operation().equals("execute")) {
                    warnings.add(new PolicyWarning(file, line, "file " + c.operation() + ": " + NOT_ENFORCED));
                }
            }
        }
        List<TmyProfile> out = new ArrayList<>(256);
        BitSet quotaZero = new BitSet(256);
        for (int n = 0; n < 256; n++) {
            out.add(ep.isDefined(n) ? compileProfile(ep, n, warnings, quotaZero) : TmyProfile.DISABLED);
        }
        return new ProfileResult(out, quotaZero);
    }

    /** One defined profile of {@code ep} as a tmy_profile. */
    private static TmyProfile compileProfile(EffectiveProfiles ep, int n, List<PolicyWarning> warnings,
                                             BitSet quotaZero) {
        byte[] mode = new byte[Abi.TMY_CAT_MAX];
        ProfileMode open = ep.mode(n, "file", "open");
        ProfileMode exec = ep.mode(n, "file", "execute");
        boolean grantOpen = ep.grantLog(n, "file", "open"), grantExec = ep.grantLog(n, "file", "execute");
        boolean rejectOpen = ep.rejectLog(n, "file", "open"), rejectExec = ep.rejectLog(n, "file", "execute");
        ProfileMode fileMode = open;
        boolean grant = grantOpen, reject = rejectOpen;
        if (open != exec || grantOpen != grantExec || rejectOpen != rejectExec) {
            // The kernel has one setting for the file category; use the category's own.
            fileMode = ep.mode(n, "file", null);
            grant = ep.grantLog(n, "file", null);
            reject = ep.rejectLog(n, "file", null);
            warnings.add(new PolicyWarning(file(), 0, "profile " + n + ": file::open (" + open.keyword()
                    + ") and file::execute (" + exec.keyword() + ") differ; the kernel has one file setting "
                    + "and uses CONFIG::file (" + fileMode.keyword() + ")"));
        }
        mode[Abi.TMY_CAT_FILE] = (byte) fileMode.abiValue();
        mode[Abi.TMY_CAT_NETWORK] = (byte) ep.mode(n, "network", null).abiValue();
        mode[Abi.TMY_CAT_CAPABILITY] = (byte) ep.mode(n, "capability", null).abiValue();
        mode[Abi.TMY_CAT_IPC] = (byte) ep.mode(n, "ipc", null).abiValue();
        int flags = (grant ? Abi.TMY_PROFILE_GRANT_LOG : 0) | (reject ? Abi.TMY_PROFILE_REJECT_LOG : 0);
        long max = ep.maxLearningEntry(n);
        if (max == 0) {
            // TOMOYO: count < 0 never holds, so nothing is ever learned. The ABI's 0 means "no
            // limit": mark the domains quota_exceeded instead, and cap new ones at 1.
            quotaZero.set(n);
            warnings.add(new PolicyWarning(file(), 0, "profile " + n + ": max_learning_entry=0 (learn nothing) "
                    + "is compiled as quota_exceeded on its domains and a limit of 1 for new domains"));
            max = 1;
        }
        return new TmyProfile(mode, flags, (int) max);
    }

    private static String file() {
        return PolicySet.PROFILE;
    }
}
