package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.TomoyoName;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One domain of domain_policy.conf: its name line and the lines below it up to the next domain.
 * Mutable (learning appends rules); not thread-safe: callers serialize changes.
 *
 * <p>An index from path to the position of the unconditional {@link FileRule} for that path keeps
 * {@link #addFileRule} O(1), so learning many rules into one domain is not quadratic.
 */
public final class Domain {
    private final String name;
    private final List<DomainLine> lines;
    /** path -> index in {@link #lines} of the first unconditional FileRule on that path. */
    private final Map<String, Integer> fileIndex = new HashMap<>();
    /** path + '\0' + condition -> index of the first FileRule with that condition (learned forms). */
    private final Map<String, Integer> condFileIndex = new HashMap<>();
    /** {@link NetworkRule#mergeKey()} -> index of the first NetworkRule with that key. */
    private final Map<String, Integer> networkIndex = new HashMap<>();
    /** FileArgRule merge key -> index of the first such OtherAcl line (learning merges into it). */
    private final java.util.Map<String, Integer> fileArgIndex = new java.util.HashMap<>();
    /** Texts of the unconditional capability and signal rules present. */
    private final Set<String> otherRules = new java.util.HashSet<>();
    /** Where the next learned rule goes (after the last ACL line); -1 = to be computed. */
    private int insertAt = -1;

    /**
     * @throws IllegalArgumentException if the name is not a TOMOYO domain name TOMOYO could create
     */
    public Domain(String name, List<DomainLine> lines) {
        if (!TomoyoName.isCorrectDomain(name)) {
            throw new IllegalArgumentException("not a TOMOYO domain name: '" + name + "'");
        }
        if (name.length() >= TomoyoName.MAX_DOMAIN_NAME_LENGTH) {
            throw new IllegalArgumentException("domain name of " + name.length() + " bytes is too long (TOMOYO "
                    + "cannot create domains of " + TomoyoName.MAX_DOMAIN_NAME_LENGTH + " bytes or more)");
        }
        this.name = name;
        this.lines = new ArrayList<>(lines);
        reindex();
    }

    /** A new domain laid out as TOMOYO prints an empty one: use_profile, then two blank lines. */
    public static Domain create(String name, int profile) {
        return new Domain(name, List.of(new UseProfile(profile), BlankLine.INSTANCE, BlankLine.INSTANCE));
    }

    public String name() {
        return name;
    }

    /** The namespace, e.g. "&lt;kernel&gt;". */
    public String namespace() {
        return TomoyoName.namespaceOf(name);
    }

    /** The lines below the name line, unmodifiable. */
    public List<DomainLine> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** The profile: the last use_profile line (as TOMOYO applies them in order), 0 if none. */
    public int profile() {
        int p = 0;
        for (DomainLine l : lines) {
            if (l instanceof UseProfile u) {
                p = u.profile();
            }
        }
        return p;
    }

    public Set<DomainFlag> flags() {
        Set<DomainFlag> s = EnumSet.noneOf(DomainFlag.class);
        for (DomainLine l : lines) {
            if (l instanceof DomainFlagLine f) {
                s.add(f.flag());
            }
        }
        return s;
    }

    public Set<Integer> groups() {
        Set<Integer> s = new TreeSet<>();
        for (DomainLine l : lines) {
            if (l instanceof UseGroup g) {
                s.add(g.group());
            }
        }
        return s;
    }

    /** The unconditional rule for a path (merged view of the first such line), or null. */
    public FileRule fileRule(String path) {
        Integer i = fileIndex.get(path);
        return i == null ? null : (FileRule) lines.get(i);
    }

    /**
     * Adds file permissions for a path as TOMOYO's learning does: merged into the existing
     * unconditional rule for the same path (tomoyo_merge_path_acl), else a new line after the
     * last ACL line (or after the header and its separating blank line).
     *
     * @param ops {@link FileOp} bits
     * @return true if the policy changed
     */
    public boolean addFileRule(String path, int ops) {
        Integer i = fileIndex.get(path);
        if (i != null) {
            FileRule old = (FileRule) lines.get(i);
            if ((old.ops() | ops) == old.ops()) {
                return false;
            }
            lines.set(i, old.withOps(ops));
            return true;
        }
        // Every FileRule is before the insertion point (it is after the last ACL line), so the
        // lines that move are not in the index: no reindexing, O(1) amortized per rule.
        fileIndex.put(path, appendAcl(new FileRule(ops, path)));
        return true;
    }

    /**
     * Adds a learned file rule with a condition (the issue 6 forms such as
     * {@code file execute /usr/bin/sh exec.realpath="/usr/bin/dash" exec.argv[0]="/bin/sh"}) as
     * TOMOYO's learning does: merged into the rule with the same path and the same condition
     * text, else a new line after the last ACL line. A rule with another condition (another
     * argv[0]) is another line.
     *
     * @return true if the policy changed
     */
    public boolean addConditionalFileRule(FileRule rule) {
        if (!rule.hasCondition()) {
            return addFileRule(rule.path(), rule.ops());
        }
        String key = rule.path() + '\0' + rule.condition();
        Integer i = condFileIndex.get(key);
        if (i != null) {
            FileRule old = (FileRule) lines.get(i);
            if ((old.ops() | rule.ops()) == old.ops()) {
                return false;
            }
            lines.set(i, old.withOps(rule.ops()));
            return true;
        }
        condFileIndex.put(key, appendAcl(rule));
        return true;
    }

    /** The rule with this path and condition text (merged view of the first such line), or null. */
    public FileRule fileRule(String path, String condition) {
        if (condition == null || condition.isEmpty()) {
            return fileRule(path);
        }
        Integer i = condFileIndex.get(path + '\0' + condition);
        return i == null ? null : (FileRule) lines.get(i);
    }

    /**
     * Adds a learned network permission as TOMOYO does: OR-ed into the rule with the same
     * (family, protocol, address, port, condition) if there is one (TOMOYO prints the merged
     * operations joined by '/'), else a new line after the last ACL line.
     *
     * @return true if the policy changed
     */
    public boolean addNetworkRule(NetworkRule rule) {
        String key = rule.mergeKey();
        Integer i = networkIndex.get(key);
        if (i != null) {
            NetworkRule old = (NetworkRule) lines.get(i);
            if ((old.ops() | rule.ops()) == old.ops()) {
                return false;
            }
            lines.set(i, old.withOps(rule.ops()));
            return true;
        }
        networkIndex.put(key, appendAcl(rule));
        return true;
    }

    /**
     * Adds a learned "file create/mkdir/.../rename" permission as TOMOYO does: OR-ed into the line
     * with the same (family, name, arguments, condition), else a new line after the last ACL line.
     *
     * @return true if the policy changed
     */
    public boolean addFileArgRule(FileArgRule rule) {
        String key = rule.mergeKey();
        Integer i = fileArgIndex.get(key);
        if (i != null) {
            FileArgRule old = FileArgRule.of((OtherAcl) lines.get(i));
            if ((old.ops() | rule.ops()) == old.ops()) {
                return false;
            }
            lines.set(i, old.withOps(rule.ops()).toAcl());
            return true;
        }
        fileArgIndex.put(key, appendAcl(rule.toAcl()));
        return true;
    }

    /** Adds a capability rule unless the same line is there. @return true if the policy changed */
    public boolean addCapabilityRule(CapabilityRule rule) {
        if (!otherRules.add(rule.text())) {
            return false;
        }
        appendAcl(rule);
        return true;
    }

    /** Adds a signal rule unless the same line is there. @return true if the policy changed */
    public boolean addSignalRule(SignalRule rule) {
        if (!otherRules.add(rule.text())) {
            return false;
        }
        appendAcl(rule);
        return true;
    }

    /**
     * Adds a learned rule of any kind learning produces ({@link FileRule}, with or without a condition,
     * {@link NetworkRule}, {@link CapabilityRule}, {@link SignalRule}), merged as TOMOYO merges.
     *
     * @return true if the policy changed
     */
    public boolean addRule(DomainLine rule) {
        if (rule instanceof FileRule f) {
            return f.hasCondition() ? addConditionalFileRule(f) : addFileRule(f.path(), f.ops());
        } else if (rule instanceof NetworkRule n) {
            return addNetworkRule(n);
        } else if (rule instanceof CapabilityRule c) {
            return addCapabilityRule(c);
        } else if (rule instanceof SignalRule s) {
            return addSignalRule(s);
        } else if (rule instanceof OtherAcl o && FileArgRule.of(o) != null) {
            return addFileArgRule(FileArgRule.of(o));
        }
        throw new IllegalArgumentException("not a learnable rule: " + rule.text());
    }

    /**
     * Appends an ACL line as it is, without merging it into another rule (loading lines kept in
     * another file, see {@link dev.tomoyoctl.policy.Tomoyo18Lines}): after the last ACL line.
     *
     * @throws IllegalArgumentException if the line is not an ACL line
     */
    public void appendAclLine(DomainLine acl) {
        if (!acl.isAcl()) {
            throw new IllegalArgumentException("not an ACL line: " + acl.text());
        }
        appendAcl(acl);
        reindex();
    }

    /** Inserts an ACL line at the insertion point; returns its index. */
    private int appendAcl(DomainLine rule) {
        if (insertAt < 0) {
            insertAt = insertionPoint();
        }
        int at = insertAt++;
        // Indexed rules are ACL lines, all before the insertion point: none of them moves.
        lines.add(at, rule);
        return at;
    }

    /** Sets the profile: rewrites the first use_profile line (dropping later ones) or adds one. */
    public void setProfile(int profile) {
        UseProfile u = new UseProfile(profile);
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof UseProfile) {
                if (first < 0) {
                    first = i;
                    lines.set(i, u);
                } else {
                    lines.remove(i--);
                }
            }
        }
        if (first < 0) {
            lines.add(0, u);
        }
        reindex();
    }

    /** Sets or clears a flag line (quota_exceeded / transition_failed). */
    public void setFlag(DomainFlag flag, boolean on) {
        boolean present = flags().contains(flag);
        if (on == present) {
            return;
        }
        if (on) {
            int at = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i) instanceof UseProfile) {
                    at = i + 1;
                }
            }
            lines.add(at, new DomainFlagLine(flag));
        } else {
            lines.removeIf(l -> l instanceof DomainFlagLine f && f.flag() == flag);
        }
        reindex();
    }

    /**
     * The number of entries counted against max_learning_entry, as tomoyo_domain_quota_is_ok()
     * counts them: one per permission bit of each file and network rule, one per other ACL line
     * (capability, signal, ...).
     */
    public int quotaCount() {
        int n = 0;
        for (DomainLine l : lines) {
            if (l instanceof FileRule r) {
                n += Integer.bitCount(r.ops());
            } else if (l instanceof NetworkRule r) {
                n += Integer.bitCount(r.ops());
            } else if (l instanceof CapabilityRule || l instanceof SignalRule) {
                n++;
            } else if (l instanceof OtherAcl o) {
                n += o.quotaWeight();
            }
        }
        return n;
    }

    private int insertionPoint() {
        int lastAcl = -1, lastHeader = -1;
        for (int i = 0; i < lines.size(); i++) {
            DomainLine l = lines.get(i);
            if (l.isAcl()) {
                lastAcl = i;
            } else if (l instanceof UseProfile || l instanceof UseGroup || l instanceof DomainFlagLine) {
                lastHeader = i;
            }
        }
        if (lastAcl >= 0) {
            return lastAcl + 1;
        }
        int at = lastHeader + 1;
        if (at < lines.size() && lines.get(at) instanceof BlankLine) {
            at++; // keep TOMOYO's blank line between the header and the ACL lines
        }
        return at;
    }

    private void reindex() {
        insertAt = -1;
        fileIndex.clear();
        condFileIndex.clear();
        networkIndex.clear();
        fileArgIndex.clear();
        otherRules.clear();
        for (int i = 0; i < lines.size(); i++) {
            DomainLine l = lines.get(i);
            if (l instanceof FileRule r && !r.hasCondition()) {
                fileIndex.putIfAbsent(r.path(), i);
            } else if (l instanceof FileRule r) {
                condFileIndex.putIfAbsent(r.path() + '\0' + r.condition(), i);
            } else if (l instanceof NetworkRule r) {
                networkIndex.putIfAbsent(r.mergeKey(), i);
            } else if (l instanceof CapabilityRule || l instanceof SignalRule) {
                otherRules.add(l.text());
            } else if (l instanceof OtherAcl o) {
                FileArgRule r = FileArgRule.of(o);
                if (r != null) {
                    fileArgIndex.putIfAbsent(r.mergeKey(), i);
                }
            }
        }
    }

    /** The domain as TOMOYO text: the name line, then its lines. */
    public String print() {
        StringBuilder sb = new StringBuilder(name.length() + 32 * lines.size());
        sb.append(name).append('\n');
        for (DomainLine l : lines) {
            sb.append(l.text()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
