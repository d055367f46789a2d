package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAccessEvent;
import dev.tomoyoctl.policy.abi.TmyCapEvent;
import dev.tomoyoctl.policy.abi.TmyDomainEvent;
import dev.tomoyoctl.policy.abi.TmyEvent;
import dev.tomoyoctl.policy.abi.TmyNetEvent;
import dev.tomoyoctl.policy.abi.TmySignalEvent;
import dev.tomoyoctl.policy.NameConditions;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.model.Aggregator;
import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainFlag;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.FileArgOp;
import dev.tomoyoctl.policy.model.FileArgRule;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.OtherAcl;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.SignalRule;
import dev.tomoyoctl.policy.model.ProfileLine;
import dev.tomoyoctl.policy.model.ProfilePreference;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.logging.Logger;

/**
 * Turns kernel events into policy and audit records. Runs on the daemon's thread only.
 *
 * <ul>
 * <li>TMY_EV_DOMAIN: names the new domain as TOMOYO's tomoyo_find_next_domain() does: parent
 *     name + " " + program; after initialize_domain the parent's namespace + " " + program;
 *     after reset_domain "&lt;program&gt;". The name's id is checked against the kernel's.
 *     The domain is added to the domain policy with the profile the kernel gave it.</li>
 * <li>TMY_EV_LEARN: adds the permission to the domain's policy (merged per path as TOMOYO
 *     does), unless the domain holds max_learning_entry permissions already (then, as TOMOYO,
 *     learning stops for it and the domain gets the quota_exceeded flag).</li>
 * <li>TMY_EV_AUDIT: one record for the {@link AuditLog}.</li>
 * <li>TMY_EV_NET_*, TMY_EV_CAP_*, TMY_EV_SIGNAL_*: the same for "network ...", "capability NAME"
 *     and "ipc signal SIG TARGET_DOMAIN" rules. A learned network permission is OR-ed into the
 *     rule with the same (family, protocol, address, port) as TOMOYO merges; a signal names its
 *     target by the target's domain name, so a signal to a domain whose name is unknown is
 *     counted and logged, never learned. Audit records carry the rule text as their third line.</li>
 * </ul>
 * Every policy change is also queued as a {@link LearnJournal} entry; {@link #takePending}
 * hands them to the commit that makes them durable before the records are acknowledged.
 */
final class EventProcessor {
    private static final Logger LOG = Logger.getLogger(EventProcessor.class.getName());
    /** TOMOYO's default max_learning_entry when a profile sets none. */
    static final long DEFAULT_MAX_LEARNING_ENTRY = 2048;

    private PolicySet policy;
    private DomainNames names;
    /** path hash of an aggregated name -> that name, from the exception policy's aggregator lines. */
    private Map<Long, String> aggregated;
    private final AuditLog audit;
    private final LongFunction<Instant> clock;
    private final List<LearnJournal.Entry> pending = new ArrayList<>();
    /** Domains whose rules or entries changed since {@link #takeChangedDomains}: pushed to the kernel. */
    private final Set<String> changedDomains = new LinkedHashSet<>();
    private final Set<Long> warnedUnknown = new HashSet<>();

    long events;
    long domainsNamed;
    long rulesLearned;
    long auditRecords;
    long malformed;
    long unknownDomain;
    long idMismatch;
    long quotaDropped;
    long unsupported;

    /**
     * @param clock converts bpf_ktime_get_ns() (CLOCK_MONOTONIC) to wall-clock time
     */
    EventProcessor(PolicySet policy, DomainNames names, AuditLog audit, LongFunction<Instant> clock) {
        this.policy = policy;
        this.names = names;
        this.aggregated = aggregatedNames(policy);
        this.audit = audit;
        this.clock = clock;
    }

    /** After a policy load: the new policy and its names (names learned from events are kept). */
    void reset(PolicySet newPolicy, DomainNames newNames) {
        this.policy = newPolicy;
        this.names = newNames;
        this.aggregated = aggregatedNames(newPolicy);
    }

    static Map<Long, String> aggregatedNames(PolicySet policy) {
        Map<Long, String> m = new java.util.HashMap<>();
        for (Aggregator a : policy.exceptionPolicy().linesOf(Aggregator.class)) {
            m.putIfAbsent(PathHash.of(a.aggregated()), a.aggregated());
        }
        return m;
    }

    /**
     * The name the kernel folded in: the executed file's name, or with an aggregator the
     * aggregated name, found by its hash (the event carries the executed file's name).
     */
    private String programName(TmyDomainEvent ev) {
        if (!ev.aggregated()) {
            return ev.pathName();
        }
        String name = aggregated.get(ev.program());
        if (name == null) {
            LOG.warning("domain event for " + ev.pathName() + " names an aggregated program 0x"
                    + Long.toHexString(ev.program()) + " that no aggregator line of this policy has");
            return ev.pathName();
        }
        return name;
    }

    /**
     * An access event with TMY_ACCESS_INFO1 (and INFO2): path[] = NAME '\0' S1 ['\0' A]. The
     * learned form {@code file OP NAME CONDITION}, with NAME already replaced by the aggregated
     * name for an aggregated execute.
     */
    record Named(String name, String condition, int perm) {
        FileRule rule() {
            return new FileRule(FileOp.fromTmyPerms(perm), name, condition);
        }

        String object() {
            return name + " " + condition;
        }
    }

    /**
     * Splits an INFO1 event's path into the learned form, or throws naming what is wrong. The
     * aggregated name of an aggregated execute is the aggregator line's name whose learned key
     * equals the event's object (the event's object is the key, not the name's hash).
     */
    Named named(TmyAccessEvent ev) {
        byte[] p = ev.path();
        boolean two = (ev.flags() & Abi.TMY_ACCESS_INFO2) != 0;
        int z1 = indexOf(p, 0);
        int z2 = z1 < 0 ? -1 : indexOf(p, z1 + 1);
        if (z1 < 0 || (two ? z2 < 0 || indexOf(p, z2 + 1) >= 0 : z2 >= 0)) {
            throw new IllegalArgumentException("path of an event with TMY_ACCESS_INFO" + (two ? "1|2" : "1")
                    + " is not NAME\0S1" + (two ? "\0A" : "") + ": " + ev.pathName());
        }
        byte[] name = java.util.Arrays.copyOfRange(p, 0, z1);
        byte[] s1 = java.util.Arrays.copyOfRange(p, z1 + 1, two ? z2 : p.length);
        byte[] a = two ? java.util.Arrays.copyOfRange(p, z2 + 1, p.length) : null;
        if (name.length == 0) {
            throw new IllegalArgumentException("event with TMY_ACCESS_INFO1 has an empty name");
        }
        String condition;
        byte[][] values;
        if (ev.perm() == Abi.TMY_PERM_EXECUTE) {
            condition = NameConditions.execCondition(s1, a);
            values = two ? new byte[][] {s1, a} : new byte[][] {s1};
        } else if (ev.perm() == Abi.TMY_PERM_SYMLINK && !two) {
            condition = NameConditions.symlinkCondition(s1);
            values = new byte[][] {s1};
        } else {
            throw new IllegalArgumentException("TMY_ACCESS_INFO1" + (two ? "|INFO2" : "") + " on perm 0x"
                    + Integer.toHexString(ev.perm()) + " (only execute, or symlink with INFO1 alone)");
        }
        String encoded = TomoyoName.encode(name);
        if ((ev.flags() & Abi.TMY_ACCESS_AGGREGATED) != 0) {
            for (Map.Entry<Long, String> e : aggregated.entrySet()) {
                if (NameConditions.key(e.getKey(), values) == ev.object()) {
                    return new Named(e.getValue(), condition, ev.perm());
                }
            }
            LOG.warning("aggregated execute of " + encoded + " " + condition + " has key 0x"
                    + Long.toHexString(ev.object()) + " that no aggregator line of this policy gives; "
                    + "learned under the executed name");
        } else if (NameConditions.key(PathHash.ofRaw(name), values) != ev.object()) {
            LOG.warning("event key 0x" + Long.toHexString(ev.object()) + " for " + encoded + " " + condition
                    + " is not the fold of its names (the kernel and tomoyo_abi.h disagree)");
        }
        return new Named(encoded, condition, ev.perm());
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasInfo(TmyAccessEvent ev) {
        return ev.category() == Abi.TMY_CAT_FILE && (ev.flags() & Abi.TMY_ACCESS_INFO1) != 0
                && (ev.flags() & Abi.TMY_ACCESS_PATH_UNRESOLVED) == 0;
    }

    /** The object of an access: the path, or the aggregated name for an aggregated execute. */
    private String objectName(TmyAccessEvent ev) {
        if (hasInfo(ev)) {
            try {
                return named(ev).object();
            } catch (IllegalArgumentException e) {
                malformed++;
                LOG.warning("audit event: " + e.getMessage());
                return ev.pathName();
            }
        }
        if ((ev.flags() & Abi.TMY_ACCESS_AGGREGATED) != 0) {
            String name = aggregated.get(ev.object());
            if (name != null) {
                return name;
            }
        }
        return ev.pathName();
    }

    DomainNames names() {
        return names;
    }

    /** Handles one ring-buffer sample. Never throws for bad input: it is counted and logged. */
    void accept(ByteBuffer sample) {
        events++;
        TmyEvent ev;
        try {
            ev = TmyEvent.decode(sample);
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warning("malformed kernel event skipped: " + e.getMessage());
            return;
        }
        accept(ev);
    }

    void accept(TmyEvent ev) {
        if (ev instanceof TmyDomainEvent d) {
            onDomain(d);
        } else if (ev instanceof TmyAccessEvent a) {
            if (a.hdr().type() == Abi.TMY_EV_LEARN) {
                onLearn(a);
            } else {
                onAudit(a);
            }
        } else if (ev instanceof TmyNetEvent n) {
            onNet(n);
        } else if (ev instanceof TmyCapEvent c) {
            onCap(c);
        } else if (ev instanceof TmySignalEvent sg) {
            onSignal(sg);
        }
    }

    /** Names of domains that learning changed since the last call (to push to the kernel). */
    List<String> takeChangedDomains() {
        List<String> l = new ArrayList<>(changedDomains);
        changedDomains.clear();
        return l;
    }

    // ---- network, capability, signal --------------------------------------------------------

    private void onNet(TmyNetEvent ev) {
        NetworkRule rule;
        try {
            rule = NetworkRule.ofEvent(ev.family(), ev.perm(), ev.addr(), ev.port(), ev.path());
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warning("network event of domain 0x" + Long.toHexString(ev.hdr().domain()) + " skipped: "
                    + e.getMessage());
            return;
        }
        if (ev.hdr().type() == Abi.TMY_EV_NET_LEARN) {
            learn(ev.hdr().domain(), ev.profile(), ev.flags(), rule, name -> new LearnJournal.NetEntry(name,
                    ev.family(), ev.perm(), ev.port(), ev.addr(), ev.path()));
        } else {
            // "network inet stream connect" + "127.0.0.1 7001": the keywords are the first four words
            String text = rule.text();
            int cut = nthSpace(text, 4);
            audit(ev.hdr(), ev.profile(), ev.mode(), ev.granted(), text.substring(0, cut), text.substring(cut + 1),
                    false);
        }
    }

    private static int nthSpace(String s, int n) {
        int i = -1;
        for (int k = 0; k < n; k++) {
            i = s.indexOf(' ', i + 1);
        }
        return i;
    }

    private void onCap(TmyCapEvent ev) {
        String name = CapabilityRule.capabilityName(ev.cap());
        if (ev.hdr().type() == Abi.TMY_EV_CAP_LEARN) {
            if (name == null) {
                // A capability newer than TOMOYO's list has no policy syntax: not learnable.
                unsupported++;
                LOG.warning("capability number " + ev.cap() + " has no name; not learned");
                return;
            }
            learn(ev.hdr().domain(), ev.profile(), ev.flags(), new CapabilityRule(name),
                    domain -> new LearnJournal.CapEntry(domain, ev.cap()));
        } else {
            audit(ev.hdr(), ev.profile(), ev.mode(), ev.granted(), "capability",
                    name != null ? name : Integer.toString(ev.cap()), false);
        }
    }

    private void onSignal(TmySignalEvent ev) {
        String target = names.name(ev.target());
        if (ev.hdr().type() == Abi.TMY_EV_SIGNAL_LEARN) {
            if (target == null) {
                unknown(ev.target(), "target of a learned signal " + ev.sig() + " to pid " + ev.targetPid());
                return;
            }
            SignalRule rule;
            try {
                rule = new SignalRule(ev.sig(), target);
            } catch (IllegalArgumentException e) {
                malformed++;
                LOG.warning("signal event skipped: " + e.getMessage());
                return;
            }
            String targetName = target;
            learn(ev.hdr().domain(), ev.profile(), ev.flags(), rule,
                    domain -> new LearnJournal.SignalEntry(domain, ev.sig(), targetName));
        } else {
            if (target == null) {
                unknown(ev.target(), "target of signal " + ev.sig() + " to pid " + ev.targetPid());
                target = DomainNames.unknown(ev.target());
            }
            audit(ev.hdr(), ev.profile(), ev.mode(), ev.granted(), "ipc signal", ev.sig() + " " + target, false);
        }
    }

    /**
     * Learning of one rule of the network, capability or ipc category: quota as for files (the
     * kernel's own stop is reported once with TMY_ACCESS_QUOTA_EXCEEDED; the daemon's count of
     * the domain's permissions is the second check), merged as TOMOYO merges, journalled.
     */
    private void learn(long id, int profile, int flags, DomainLine rule,
                       java.util.function.Function<String, LearnJournal.Entry> entry) {
        String name = names.name(id);
        if (name == null) {
            unknown(id, "learned " + rule.text());
            return;
        }
        Domain d = policy.domain(name);
        if (d == null) {
            d = policy.ensureDomain(name, profile);
            pending.add(new LearnJournal.DomainEntry(name, profile));
            changedDomains.add(name);
        }
        if (quotaStops(d, name, profile, flags, () -> covered(policy.domain(name), rule))) {
            return;
        }
        try {
            if (policy.addLearnedRule(name, rule)) {
                pending.add(entry.apply(name));
                rulesLearned++;
                changedDomains.add(name);
            }
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warning("learned rule for '" + name + "' not added: " + e.getMessage());
        }
    }

    /** True if the domain already grants everything {@code rule} grants (learning it adds nothing). */
    static boolean covered(Domain d, DomainLine rule) {
        for (DomainLine l : d.lines()) {
            if (rule instanceof FileRule f && l instanceof FileRule x) {
                if (x.path().equals(f.path()) && x.condition().equals(f.condition())
                        && (x.ops() & f.ops()) == f.ops()) {
                    return true;
                }
            } else if (rule instanceof NetworkRule n && l instanceof NetworkRule x) {
                if (x.mergeKey().equals(n.mergeKey()) && (x.ops() & n.ops()) == n.ops()) {
                    return true;
                }
            } else if (l.getClass() == rule.getClass() && l.text().equals(rule.text())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The quota: true (and the domain flagged quota_exceeded once) if the kernel said learning
     * stopped, or if the domain holds max_learning_entry permissions and the new one is not
     * among them.
     */
    private boolean quotaStops(Domain d, String name, int profile, int flags, java.util.function.BooleanSupplier covered) {
        if ((flags & Abi.TMY_ACCESS_QUOTA_EXCEEDED) != 0) {
            // The kernel's own quota count stopped learning here (sent once per domain).
            quotaDropped++;
            if (!d.flags().contains(DomainFlag.QUOTA_EXCEEDED)) {
                d.setFlag(DomainFlag.QUOTA_EXCEEDED, true);
                changedDomains.add(name);
                LOG.warning("domain '" + name + "' reached max_learning_entry in the kernel: learning stopped for it");
            }
            return true;
        }
        long max = maxLearningEntry(policy, TomoyoName.namespaceOf(name), profile);
        if (max > 0 && d.quotaCount() >= max && !covered.getAsBoolean()) {
            quotaDropped++;
            if (!d.flags().contains(DomainFlag.QUOTA_EXCEEDED)) {
                d.setFlag(DomainFlag.QUOTA_EXCEEDED, true);
                changedDomains.add(name);
                LOG.warning("domain '" + name + "' has " + d.quotaCount() + " permissions (max_learning_entry=" + max
                        + " of profile " + profile + "): learning stopped for it");
            }
            return true;
        }
        return false;
    }

    private void audit(dev.tomoyoctl.policy.abi.TmyEventHdr hdr, int profile, int mode, boolean granted,
                       String operation, String object, boolean unresolved) {
        long id = hdr.domain();
        String name = names.name(id);
        if (name == null) {
            unknown(id, "audit record of " + operation + " " + object);
            name = DomainNames.unknown(id);
        }
        auditRecords++;
        audit.append(new AuditRecord(clock.apply(hdr.ktimeNs()), profile, mode, granted, hdr.pid(), hdr.tid(),
                hdr.uid(), hdr.gid(), name, operation, object, unresolved));
    }

    /** The journal entries not yet made durable (the caller clears them after writing them). */
    List<LearnJournal.Entry> pending() {
        return pending;
    }

    List<LearnJournal.Entry> takePending() {
        List<LearnJournal.Entry> l = new ArrayList<>(pending);
        pending.clear();
        return l;
    }

    /** The TOMOYO name of the domain a TMY_EV_DOMAIN event reports, or null if its parent is unknown. */
    static String childName(String parentName, TmyDomainEvent ev, String program) {
        return switch (ev.transition()) {
            case Abi.TMY_TR_RESET -> "<" + program + ">";
            case Abi.TMY_TR_INITIALIZE -> TomoyoName.namespaceOf(parentName) + " " + program;
            default -> parentName + " " + program; // ordinary child; the no_* rules mean exactly that
        };
    }

    private void onDomain(TmyDomainEvent ev) {
        long id = ev.hdr().domain();
        String parent = names.name(ev.parent());
        if (parent == null) {
            unknown(ev.parent(), "domain event for " + ev.pathName());
            return;
        }
        if (ev.transition() == Abi.TMY_TR_KEEP) {
            // keep_domain never creates a domain; a kernel that says so disagrees with us.
            LOG.warning("TMY_EV_DOMAIN with transition keep_domain from " + parent + " ignored");
            malformed++;
            return;
        }
        String name = childName(parent, ev, programName(ev));
        long expected;
        try {
            expected = DomainId.of(name);
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warning("cannot name the domain entered from " + parent + ": " + e.getMessage());
            return;
        }
        if (expected != id) {
            idMismatch++;
            LOG.warning("domain id mismatch for '" + name + "': kernel 0x" + Long.toHexString(id) + ", Java 0x"
                    + Long.toHexString(expected) + " (the kernel and tomoyo_abi.h's hash definitions disagree)");
        }
        names.put(id, name);
        if (!policy.domainPolicy().contains(name)) {
            try {
                policy.ensureDomain(name, ev.profile());
            } catch (IllegalArgumentException e) {
                malformed++;
                LOG.warning("domain '" + name + "' not added to the policy: " + e.getMessage());
                return;
            }
            pending.add(new LearnJournal.DomainEntry(name, ev.profile()));
            domainsNamed++;
        }
    }

    private void onLearn(TmyAccessEvent ev) {
        if (hasInfo(ev)) {
            // "file execute NAME exec.realpath="R" exec.argv[0]="A"", "file symlink NAME symlink.target="T""
            Named n;
            try {
                n = named(ev);
            } catch (IllegalArgumentException e) {
                malformed++;
                LOG.warning("learned file event skipped: " + e.getMessage());
                return;
            }
            learn(ev.hdr().domain(), ev.profile(), ev.flags(), n.rule(),
                    domain -> new LearnJournal.CondFileEntry(domain, ev.perm(), n.name(), n.condition()));
            return;
        }
        if (ev.category() == Abi.TMY_CAT_FILE && (ev.perm() & Abi.TMY_PERM_ARG_MASK) != 0) {
            // "file create /tmp/x 0644", "file rename /a /b": the object is "NAME1\0ARG"
            OtherAcl rule;
            try {
                rule = FileArgRule.fromEvent(ev.perm(), ev.path()).toAcl();
            } catch (IllegalArgumentException e) {
                malformed++;
                LOG.warning("learned file event skipped: " + e.getMessage());
                return;
            }
            learn(ev.hdr().domain(), ev.profile(), ev.flags(), rule,
                    domain -> new LearnJournal.FileArgEntry(domain, ev.perm(), ev.path()));
            return;
        }
        String name = names.name(ev.hdr().domain());
        if (name == null) {
            unknown(ev.hdr().domain(), "learned " + operation(ev) + " " + ev.pathName());
            return;
        }
        int ops = FileOp.fromTmyPerms(ev.perm());
        if (ev.category() != Abi.TMY_CAT_FILE || ops == 0) {
            unsupported++;
            return;
        }
        Domain d = policy.domain(name);
        if (d == null) {
            d = policy.ensureDomain(name, ev.profile());
            pending.add(new LearnJournal.DomainEntry(name, ev.profile()));
            changedDomains.add(name);
        }
        final Domain dom = d;
        if (quotaStops(d, name, ev.profile(), ev.flags(), () -> dom.fileRule(ev.pathName()) != null
                && (dom.fileRule(ev.pathName()).ops() & ops) == ops)) {
            return;
        }
        String path = objectName(ev);
        try {
            if (policy.addLearnedFileRule(name, path, ops)) {
                pending.add(new LearnJournal.FileEntry(name, ev.perm(), path));
                rulesLearned++;
                changedDomains.add(name);
            }
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warning("learned rule for '" + name + "' not added: " + e.getMessage());
        }
    }

    private void onAudit(TmyAccessEvent ev) {
        long id = ev.hdr().domain();
        String name = names.name(id);
        if (name != null && (ev.flags() & Abi.TMY_ACCESS_TRANSITION_FAILED) != 0) {
            Domain d = policy.domain(name);
            if (d != null && !d.flags().contains(DomainFlag.TRANSITION_FAILED)) {
                d.setFlag(DomainFlag.TRANSITION_FAILED, true); // TOMOYO marks the domain once
            }
        }
        FileArgOp argOp = ev.category() == Abi.TMY_CAT_FILE ? FileArgOp.byTmyPerm(ev.perm()) : null;
        String object = argOp != null && !ev.pathUnresolved() ? FileArgRule.objectText(argOp, ev.path()) : objectName(ev);
        audit(ev.hdr(), ev.profile(), ev.mode(), ev.granted(), operation(ev), object, ev.pathUnresolved());
    }

    /** "file read", as the rule line of TOMOYO's policy and audit log spells the operation. */
    static String operation(TmyAccessEvent ev) {
        if (ev.category() == Abi.TMY_CAT_FILE) {
            for (FileOp op : FileOp.values()) {
                if (op.tmyPerm() == ev.perm()) {
                    return "file " + op.keyword();
                }
            }
            FileArgOp a = FileArgOp.byTmyPerm(ev.perm());
            if (a != null) {
                return "file " + a.keyword();
            }
        }
        return "category" + ev.category() + " perm0x" + Integer.toHexString(ev.perm());
    }

    private void unknown(long id, String what) {
        unknownDomain++;
        if (warnedUnknown.add(id)) {
            LOG.warning("no name for domain 0x" + Long.toHexString(id) + " (" + what + "); its TMY_EV_DOMAIN "
                    + "event was lost (ring buffer full?) or the daemon started after it");
        }
    }

    /** The profile's max_learning_entry (PREFERENCE), TOMOYO's default if the profile sets none. */
    static long maxLearningEntry(PolicySet policy, String namespace, int profile) {
        Long v = null;
        for (ProfileLine l : policy.profilePolicy().lines()) {
            if (l instanceof ProfilePreference p && p.profile() == profile
                    && p.effectiveNamespace().equals(namespace)) {
                Long x = p.value(ProfilePreference.MAX_LEARNING_ENTRY);
                if (x != null) {
                    v = x;
                }
            }
        }
        return v == null ? DEFAULT_MAX_LEARNING_ENTRY : v;
    }

    /** Applies journal entries of an earlier run over freshly loaded policy; returns problems. */
    static List<String> replay(PolicySet policy, List<LearnJournal.Entry> entries) {
        List<String> problems = new ArrayList<>();
        for (LearnJournal.Entry e : entries) {
            try {
                if (e instanceof LearnJournal.DomainEntry d) {
                    policy.ensureDomain(d.domain(), d.profile());
                } else if (e instanceof LearnJournal.FileEntry f) {
                    if (policy.domain(f.domain()) == null) {
                        problems.add("journal: rule for missing domain '" + f.domain() + "' (created with profile 0)");
                        policy.ensureDomain(f.domain(), 0);
                    }
                    policy.addLearnedFileRule(f.domain(), f.path(), FileOp.fromTmyPerms(f.tmyPerms()));
                } else if (e instanceof LearnJournal.RuleEntry r) {
                    if (policy.domain(r.domain()) == null) {
                        problems.add("journal: rule for missing domain '" + r.domain() + "' (created with profile 0)");
                        policy.ensureDomain(r.domain(), 0);
                    }
                    policy.addLearnedRule(r.domain(), r.rule());
                }
            } catch (IllegalArgumentException ex) {
                problems.add("journal: entry '" + e.line() + "' not applied: " + ex.getMessage());
            }
        }
        return problems;
    }

    Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("received", events);
        m.put("domainsNamed", domainsNamed);
        m.put("rulesLearned", rulesLearned);
        m.put("auditRecords", auditRecords);
        m.put("malformed", malformed);
        m.put("unknownDomain", unknownDomain);
        m.put("domainIdMismatch", idMismatch);
        m.put("learningQuotaDropped", quotaDropped);
        m.put("unsupported", unsupported);
        m.put("journalPending", pending.size());
        return m;
    }
}
