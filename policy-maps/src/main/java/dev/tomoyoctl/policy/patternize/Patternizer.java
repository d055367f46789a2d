package dev.tomoyoctl.policy.patternize;

import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.PolicyParseException;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.Tomoyo18Lines;
import dev.tomoyoctl.policy.model.CommentLine;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.OtherAcl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Suggests patterns for the learned file rules of a policy whose paths vary between runs, as
 * an edit of domain_policy.conf: the exact rules a pattern covers are replaced, at the place of
 * the first of them, by one rule on the pattern (their operations merged, as TOMOYO merges), under
 * a comment line giving the reason and the replaced paths. Only unconditional rules on exact
 * paths are considered; a rule already on that pattern absorbs the others.
 *
 * <p>Better than tomoyo-patternize (which applies patterns the administrator writes) and
 * tomoyo-findtemp (which lists learned paths that no longer exist): the patterns are proposed,
 * each with its reason, and with {@code other} (the policy of a second learning run of the same
 * workload) a name that differs between the runs is recognized from that evidence instead of
 * from its shape.
 */
public final class Patternizer {
    private Patternizer() {}

    /**
     * The suggestions and the edited policy.
     *
     * @param suggestions  in policy order
     * @param before       domain_policy.conf as saved now
     * @param after        domain_policy.conf with the suggestions applied
     * @param patternized  the whole policy with the suggestions applied (save it to apply)
     */
    public record Result(List<Suggestion> suggestions, String before, String after, PolicySet patternized) {
        /** A unified diff of domain_policy.conf (empty if there is no suggestion). */
        public String diff(String oldName, String newName) {
            return UnifiedDiff.diff(oldName, newName, before, after, 3);
        }
    }

    /**
     * @param policy  the learned policy
     * @param other   the policy of another learning run of the same programs, or null
     * @param domains the domains to look at (empty: all)
     */
    public static Result patternize(PolicySet policy, PolicySet other, Set<String> domains) {
        List<Suggestion> all = new ArrayList<>();
        Map<String, Map<String, Suggestion>> byDomain = new LinkedHashMap<>();
        for (Domain d : policy.domainPolicy().domains()) {
            if (!domains.isEmpty() && !domains.contains(d.name())) {
                continue;
            }
            Domain o = other == null ? null : other.domain(d.name());
            Map<String, Suggestion> map = suggest(d, o);
            if (!map.isEmpty()) {
                byDomain.put(d.name(), map);
                new LinkedHashSet<>(map.values()).forEach(all::add);
            }
        }
        Map<String, String> files = policy.printAll();
        String before = files.get(PolicySet.DOMAIN_POLICY);
        String after = rewrite(policy, byDomain);
        PolicySet patternized;
        try {
            patternized = PolicySet.parse(after, files.get(Tomoyo18Lines.DOMAIN_FILE),
                    files.get(PolicySet.EXCEPTION_POLICY), files.get(Tomoyo18Lines.EXCEPTION_FILE),
                    files.get(PolicySet.PROFILE), policy.opaqueFiles());
        } catch (PolicyParseException e) {
            // Every line written is a rule or comment built from a parsed policy: a bug if not.
            throw new IllegalStateException("patternized policy does not parse: " + e.getMessage(), e);
        }
        return new Result(all, before, after, patternized);
    }

    /** path -> suggestion, for the exact unconditional file rules of one domain. */
    static Map<String, Suggestion> suggest(Domain d, Domain other) {
        Set<String> pathSet = new LinkedHashSet<>();
        for (DomainLine l : d.lines()) {
            if (l instanceof FileRule r && !r.hasCondition() && !r.isGroupReference()) {
                pathSet.add(r.path());
            } else if (l instanceof OtherAcl o) {
                pathSet.addAll(pathTokens(o).values());
            }
        }
        List<String> paths = new ArrayList<>(pathSet);
        // pattern -> (paths, reasons), first by shape, then from the other run
        Map<String, List<String>> covered = new LinkedHashMap<>();
        Map<String, Set<String>> reasons = new LinkedHashMap<>();
        Set<String> done = new HashSet<>();
        for (String p : paths) {
            PathGuess.Guess g = PathGuess.guess(p);
            if (g != null) {
                covered.computeIfAbsent(g.pattern(), k -> new ArrayList<>()).add(p);
                reasons.computeIfAbsent(g.pattern(), k -> new LinkedHashSet<>()).add(g.reason());
                done.add(p);
            }
        }
        if (other != null) {
            Set<String> theirs = new LinkedHashSet<>();
            for (DomainLine l : other.lines()) {
                if (l instanceof FileRule r && !r.hasCondition() && !r.isGroupReference()) {
                    theirs.add(r.path());
                } else if (l instanceof OtherAcl o) {
                    theirs.addAll(pathTokens(o).values());
                }
            }
            Set<String> mine = new HashSet<>(paths);
            List<String> onlyTheirs = theirs.stream().filter(p -> !mine.contains(p)).toList();
            for (String p : paths) {
                if (done.contains(p) || theirs.contains(p)) {
                    continue;
                }
                for (String q : onlyTheirs) {
                    PathGuess.Guess g = PathGuess.fromPair(p, q);
                    if (g != null) {
                        covered.computeIfAbsent(g.pattern(), k -> new ArrayList<>()).add(p);
                        reasons.computeIfAbsent(g.pattern(), k -> new LinkedHashSet<>()).add(g.reason());
                        done.add(p);
                        break;
                    }
                }
            }
            // A pattern learned from the other run also covers this run's other names it matches.
            for (String p : paths) {
                if (done.contains(p)) {
                    continue;
                }
                for (Map.Entry<String, List<String>> e : covered.entrySet()) {
                    if (PathPattern.matches(p, e.getKey()) && !PathGuess.isFixed(p)) {
                        e.getValue().add(p);
                        done.add(p);
                        break;
                    }
                }
            }
        }
        Map<String, Suggestion> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : covered.entrySet()) {
            List<String> ps = paths.stream().filter(e.getValue()::contains).toList(); // policy order
            Suggestion s = new Suggestion(d.name(), e.getKey(), ps, String.join("; ", reasons.get(e.getKey())));
            ps.forEach(p -> out.put(p, s));
        }
        return out;
    }

    /** Operations of TOMOYO's other file ACLs whose fourth word is a second path. */
    private static final Set<String> TWO_PATHS = Set.of("link", "rename", "pivot_root", "mount");

    /**
     * The path words of a file ACL kept as text ("file create PATH MODE", "file rename OLD NEW",
     * "file mount DEV DIR TYPE FLAGS"): word index -> path. Conditions are not looked into.
     */
    static Map<Integer, String> pathTokens(OtherAcl o) {
        Map<Integer, String> out = new LinkedHashMap<>();
        String[] t = o.text().split(" ");
        if (!t[0].equals("file") || t.length < 3) {
            return out;
        }
        int last = TWO_PATHS.contains(t[1].split("/")[0]) && t.length > 3 ? 3 : 2;
        for (int i = 2; i <= last; i++) {
            if (t[i].startsWith("/") || t[i].contains(":/")) {
                out.put(i, t[i]);
            }
        }
        return out;
    }

    /** domain_policy.conf as saved, with each domain's suggestions applied. */
    private static String rewrite(PolicySet policy, Map<String, Map<String, Suggestion>> byDomain) {
        StringBuilder sb = new StringBuilder();
        for (DomainLine l : policy.domainPolicy().preamble()) {
            sb.append(l.text()).append('\n');
        }
        for (Domain d : policy.domainPolicy().domains()) {
            Map<String, Suggestion> map = byDomain.getOrDefault(d.name(), Map.of());
            // the merged operations of each pattern: its replaced rules plus an existing rule on it
            Map<String, Integer> ops = new LinkedHashMap<>();
            for (DomainLine l : d.lines()) {
                if (l instanceof FileRule r && !r.hasCondition()) {
                    Suggestion s = map.get(r.path());
                    if (s != null) {
                        ops.merge(s.pattern(), r.ops(), (a, b) -> a | b);
                    }
                }
            }
            Set<String> existing = new HashSet<>();
            for (DomainLine l : d.lines()) {
                if (l instanceof FileRule r && !r.hasCondition() && ops.containsKey(r.path())) {
                    existing.add(r.path());
                }
            }
            Set<String> written = new HashSet<>();
            Set<String> commented = new HashSet<>();
            sb.append(d.name()).append('\n');
            for (DomainLine l : d.lines()) {
                DomainLine keep = Tomoyo18Lines.split(l).tomoyo26();
                if (keep == null) {
                    continue; // saved in the side file, unchanged
                }
                if (l instanceof OtherAcl o && !map.isEmpty()) {
                    // the same substitution in "file create PATH MODE" and the like, so that a
                    // name's other operations follow it; identical results are written once
                    String[] t = o.text().split(" ");
                    boolean changed = false;
                    for (Map.Entry<Integer, String> e : pathTokens(o).entrySet()) {
                        Suggestion s = map.get(e.getValue());
                        if (s != null) {
                            t[e.getKey()] = s.pattern();
                            changed = true;
                            if (commented.add(s.pattern())) {
                                sb.append(new CommentLine(s.comment()).text()).append('\n');
                            }
                        }
                    }
                    if (changed) {
                        String text = String.join(" ", t);
                        if (written.add("\0" + text)) {
                            sb.append(new OtherAcl(o.keyword(), text).text()).append('\n');
                        }
                        continue;
                    }
                }
                if (l instanceof FileRule r && !r.hasCondition()) {
                    Suggestion s = map.get(r.path());
                    if (s != null) {
                        if (!existing.contains(s.pattern()) && written.add(s.pattern())) {
                            if (commented.add(s.pattern())) {
                                sb.append(new CommentLine(s.comment()).text()).append('\n');
                            }
                            sb.append(new FileRule(ops.get(s.pattern()), s.pattern()).text()).append('\n');
                        }
                        continue;
                    }
                    if (existing.contains(r.path()) && written.add(r.path())) {
                        Suggestion first = map.values().stream().filter(x -> x.pattern().equals(r.path())).findFirst()
                                .orElseThrow();
                        if (commented.add(r.path())) {
                            sb.append(new CommentLine(first.comment()).text()).append('\n');
                        }
                        sb.append(new FileRule(ops.get(r.path()) | r.ops(), r.path()).text()).append('\n');
                        continue;
                    }
                }
                sb.append(keep.text()).append('\n');
            }
        }
        return sb.toString();
    }
}
