package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.NetworkGroups;
import dev.tomoyoctl.policy.NumberUnion;
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
        Set<Integer> groupsWithRules = aclGroupsWithRules(policy);

        int domainCount = policy.domainPolicy().size() + 1;
        Map<TmyDomainKey, TmyDomainVal> domains = new LinkedHashMap<>(domainCount * 2);
        Map<Long, String> names = new HashMap<>(domainCount * 2);
        Map<TmyPathKey, TmyPathVal> paths = new LinkedHashMap<>();
        NetMaps net = new NetMaps();
        NetworkGroups groups = NetworkGroups.of(policy.exceptionPolicy());
        Map<Domain, DomainRanges> ranges = new IdentityHashMap<>();
        for (Domain d : policy.domainPolicy().domains()) {
            ranges.put(d, rangeIntervals(d, groups));
        }
        Map<String, Integer> portSetIds = allocatePortSets(ranges.values());
        int line = policy.domainPolicy().preamble().size();
        Map<String, EffectiveProfiles> nsProfiles = new HashMap<>();
        Set<String> namespacesWarned = new HashSet<>();
        for (Domain d : policy.domainPolicy().domains()) {
            int headerLine = ++line;
            line += d.lines().size();
            if (!d.namespace().equals(KERNEL_NS)) {
                warnOtherNamespace(policy, d, headerLine, profiles, pr, nsProfiles, namespacesWarned, warnings);
            }
            DomainEntries e = compileDomain(d, headerLine, generation, profiles, pr.quotaZero, groupsWithRules, groups,
                    ranges.get(d), portSetIds);
            warnings.addAll(e.warnings());
            String prev = names.putIfAbsent(e.key().domain(), d.name());
            if (prev != null) {
                warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, headerLine, "domain id "
                        + PathHash.hex(e.key().domain()) + " collides with domain '" + prev + "'; not compiled"));
                continue;
            }
            domains.put(e.key(), e.value());
            for (Map.Entry<TmyPathKey, TmyPathVal> pe : e.pathRules().entrySet()) {
                paths.merge(pe.getKey(), pe.getValue(), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
            }
            net.inetRules.putAll(e.inetRules());
            net.inetRanges.putAll(e.inetRanges());
            net.portSets.putAll(e.portSets()); // shared port sets: the same entries again
            net.capRules.putAll(e.capRules());
            net.signalRules.putAll(e.signalRules());
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

        return new CompiledPolicy(generation, pr.profiles, domains, paths, net.inetRules, net.inetRanges, net.portSets,
                net.capRules, net.signalRules, transitions, aggregators, names, warnings);
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
        DomainRanges own = rangeIntervals(d, groups);
        Map<String, Integer> portSetIds = Map.of();
        if (!own.isEmpty()) {
            // Port set ids are numbered over the whole policy (equal sets shared between domains),
            // so computing them needs every domain's range rules: only done for a domain with ranges.
            List<DomainRanges> all = new ArrayList<>();
            for (Domain x : policy.domainPolicy().domains()) {
                all.add(x == d ? own : rangeIntervals(x, groups));
            }
            portSetIds = allocatePortSets(all);
        }
        return compileDomain(d, line, generation, profiles, quotaZero, aclGroupsWithRules(policy), groups, own,
                portSetIds);
    }

    /** The new maps' entries, accumulated over domains. */
    private static final class NetMaps {
        final Map<TmyInetKey, TmyPathVal> inetRules = new LinkedHashMap<>();
        final Map<TmyInetRangeKey, TmyInetRangeVal> inetRanges = new LinkedHashMap<>();
        final Map<TmyPortKey, TmyPortVal> portSets = new LinkedHashMap<>();
        final Map<TmyDomainKey, TmyCapVal> capRules = new LinkedHashMap<>();
        final Map<TmySignalKey, TmyPathVal> signalRules = new LinkedHashMap<>();
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
    static DomainRanges rangeIntervals(Domain d, NetworkGroups groups) {
        List<InetRangeCompiler.RangeRule> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        for (DomainLine l : d.lines()) {
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
                                               BitSet quotaZero, Set<Integer> groupsWithRules, NetworkGroups groups,
                                               DomainRanges ranges, Map<String, Integer> portSetIds) {
        String file = PolicySet.DOMAIN_POLICY;
        List<PolicyWarning> warnings = new ArrayList<>();
        long id = DomainId.of(d.name());
        int profile = d.profile();
        int flags = d.flags().contains(DomainFlag.QUOTA_EXCEEDED) || quotaZero.get(profile)
                ? Abi.TMY_DOMAIN_QUOTA_EXCEEDED : 0;
        Map<TmyPathKey, TmyPathVal> paths = new LinkedHashMap<>();
        Map<String, SubtreeAcc> subtrees = null;
        Map<TmyInetKey, TmyPathVal> inet = new LinkedHashMap<>();
        long capAllowed = 0;
        Map<TmySignalKey, TmyPathVal> signals = new LinkedHashMap<>();
        int line = headerLine;
        int profileLine = 0;
        for (DomainLine l : d.lines()) {
            line++;
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
                    warnings.add(new PolicyWarning(file, line, "conditions are " + NOT_ENFORCED
                            + "; the rule is not compiled (the kernel does not grant it)"));
                    continue;
                }
                if (r.isGroupReference()) {
                    warnings.add(new PolicyWarning(file, line, "path_group reference " + r.path() + ": "
                            + NOT_ENFORCED + "; the rule is not compiled"));
                    continue;
                }
                if (!TomoyoName.isPatterned(r.path())) {
                    TmyPathKey k = new TmyPathKey(id, PathHash.of(r.path()), generation, Abi.TMY_MATCH_EXACT);
                    paths.merge(k, new TmyPathVal(perms, 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
                    continue;
                }
                Optional<SubtreeShape.Match> m = SubtreeShape.of(r.path());
                if (m.isEmpty()) {
                    warnings.add(new PolicyWarning(file, line, "pattern " + r.path() + ": " + NOT_ENFORCED
                            + " (only exact names and whole directory subtrees are); the rule is not compiled"));
                    continue;
                }
                if (subtrees == null) {
                    subtrees = new LinkedHashMap<>();
                }
                subtrees.computeIfAbsent(m.get().prefix(), p -> new SubtreeAcc()).add(m.get().shape(), perms, line);
            } else if (l instanceof NetworkRule r) {
                compileNetwork(r, id, generation, groups, line, paths, inet, warnings);
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
                compileFileArg(FileArgRule.of(o), id, generation, file, line, paths, warnings);
            } else if (l instanceof OtherAcl o) {
                warnings.add(new PolicyWarning(file, line, o.keyword() + ": " + NOT_ENFORCED));
            } else if (l instanceof UseGroup g) {
                if (groupsWithRules.contains(g.group())) {
                    warnings.add(new PolicyWarning(file, line, "use_group " + g.group() + ": the rules of acl_group "
                            + g.group() + " are " + NOT_ENFORCED));
                }
            } else if (l instanceof dev.tomoyoctl.policy.model.UseProfile) {
                profileLine = line;
            }
        }
        int depths = 0;
        if (subtrees != null) {
            for (Map.Entry<String, SubtreeAcc> e : subtrees.entrySet()) {
                if (e.getValue().compile(e.getKey(), id, generation, paths, warnings)) {
                    depths |= TmyDomainVal.depthBit(slashes(e.getKey()));
                }
            }
        }
        if (!profiles.isDefined(profile)) {
            warnings.add(new PolicyWarning(file, profileLine > 0 ? profileLine : headerLine, "profile " + profile
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
        TmyDomainVal val = new TmyDomainVal(parentId(d.name()), profile, flags, d.quotaCount(), depths);
        return new DomainEntries(d.name(), new TmyDomainKey(id, generation), val, paths, inet, inetRanges, portSets,
                caps, signals, warnings);
    }

    /**
     * One "file create/mkdir/.../rename" rule: an exact tmy_path_rules entry per operation, keyed
     * by the hash of its object "NAME1\0ARG" (tomoyo_abi.h TMY_PERM_CREATE); groups, patterns,
     * numeric ranges and conditions are warned and not compiled.
     */
    private static void compileFileArg(FileArgRule r, long id, int generation, String file, int line,
                                       Map<TmyPathKey, TmyPathVal> paths, List<PolicyWarning> warnings) {
        if (!r.condition().isEmpty()) {
            warnings.add(new PolicyWarning(file, line, "conditions are " + NOT_ENFORCED
                    + "; the rule is not compiled (the kernel does not grant it)"));
            return;
        }
        String[] why = new String[1];
        for (FileArgOp op : FileArgOp.values()) {
            if ((r.ops() & op.bit()) == 0) {
                continue;
            }
            byte[] object = r.object(op, why);
            if (object == null) {
                warnings.add(new PolicyWarning(file, line, "file " + op.keyword() + ": " + why[0] + ": " + NOT_ENFORCED
                        + "; the rule is not compiled"));
                continue;
            }
            TmyPathKey k = new TmyPathKey(id, PathHash.ofRaw(object), generation, Abi.TMY_MATCH_EXACT);
            paths.merge(k, new TmyPathVal(op.tmyPerm(), 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
        }
    }

    /** One network rule: warnings, unix exact names to tmy_path_rules, exact inet to tmy_inet_rules. */
    private static void compileNetwork(NetworkRule r, long id, int generation, NetworkGroups groups, int line,
                                       Map<TmyPathKey, TmyPathVal> paths, Map<TmyInetKey, TmyPathVal> inet,
                                       List<PolicyWarning> warnings) {
        String file = PolicySet.DOMAIN_POLICY;
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
            if (r.address().startsWith("@") || TomoyoName.isPatterned(r.address())) {
                warnings.add(new PolicyWarning(file, line, "network unix " + (r.address().startsWith("@")
                        ? "path_group " : "pattern ") + r.address() + ": " + NOT_ENFORCED
                        + " (only exact unix names are); the rule is not compiled"));
                return;
            }
            long hash = PathHash.ofRaw(r.address().equals(NetworkRule.ANONYMOUS)
                    ? NetworkRule.ANONYMOUS.getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                    : TomoyoName.decode(r.address()));
            paths.merge(new TmyPathKey(id, hash, generation, Abi.TMY_MATCH_UNIX), new TmyPathVal(perms, 0),
                    (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
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

        void add(SubtreeShape s, int perms, int line) {
            bits[s.ordinal()] |= perms;
            rules.add(new int[] {line, s.ordinal(), perms});
        }

        /** Adds the SUBTREE key if the rules grant something on the whole subtree; true if added. */
        boolean compile(String prefix, long domain, int generation, Map<TmyPathKey, TmyPathVal> paths,
                        List<PolicyWarning> warnings) {
            int whole = SubtreeShape.wholeSubtreeBits(bits) & ~Abi.TMY_PERM_EXECUTE;
            if (whole != 0) {
                TmyPathKey k = new TmyPathKey(domain, PathHash.of(prefix), generation, Abi.TMY_MATCH_SUBTREE);
                paths.merge(k, new TmyPathVal(whole, 0), (a, b) -> new TmyPathVal(a.perms() | b.perms(), 0));
            }
            String[] canon = SubtreeShape.canonicalPatterns(prefix);
            for (int[] r : rules) {
                int left = r[2] & ~whole;
                if ((left & Abi.TMY_PERM_EXECUTE) != 0) {
                    warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, r[0], "file execute on pattern "
                            + prefix + SubtreeShape.values()[r[1]].suffix() + ": " + NOT_ENFORCED + " (TOMOYO names "
                            + "the new domain after the pattern; the kernel cannot); the permission is not compiled"));
                    left &= ~Abi.TMY_PERM_EXECUTE;
                }
                if (left != 0) {
                    warnings.add(new PolicyWarning(PolicySet.DOMAIN_POLICY, r[0], "file "
                            + FileOp.keywords(FileOp.fromTmyPerms(left)) + " on part of the subtree " + prefix + ": "
                            + NOT_ENFORCED + " (the kernel enforces whole subtrees only: grant it on " + canon[0]
                            + ", " + canon[1] + " and " + canon[2] + "); not compiled"));
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

    private static Set<Integer> aclGroupsWithRules(PolicySet policy) {
        Set<Integer> s = new HashSet<>();
        for (ExceptionLine l : policy.exceptionPolicy().lines()) {
            if (l instanceof AclGroupRule g && l.effectiveNamespace().equals(KERNEL_NS)) {
                s.add(g.group());
            }
        }
        return s;
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
            } else if (l instanceof GroupMember g && g.kind() == GroupKind.PATH) {
                warnings.add(new PolicyWarning(file, line, g.kind().keyword() + ": groups are " + NOT_ENFORCED));
            } else if (l instanceof AclGroupRule g) {
                warnings.add(new PolicyWarning(file, line, "acl_group " + g.group() + ": " + NOT_ENFORCED));
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
