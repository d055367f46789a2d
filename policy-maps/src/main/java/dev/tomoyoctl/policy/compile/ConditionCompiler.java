package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.NameConditions;
import dev.tomoyoctl.policy.NetworkGroups;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyCondRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TOMOYO condition ("task.uid=0 path1.type=file") as the clauses of a tmy_cond_rule, or the
 * reason the kernel cannot evaluate it. What compiles: LEFT=RIGHT and LEFT!=RIGHT with LEFT one of
 * task.{uid,euid,suid,fsuid,gid,egid,sgid,fsgid}, path1.{uid,gid,type,perm},
 * path1.parent.{uid,gid,perm}, and RIGHT a number
 * (decimal, 0octal, 0xhex as tomoyo_parse_ulong reads them), a range N-M, an @number_group (at
 * most TMY_COND_RANGES ranges), one of those variables, or for path1.type a type name (file,
 * directory, fifo, socket, symlink, block, char); at most TMY_COND_CLAUSES clauses.
 *
 * <p>Names (issue 6): exec.realpath, exec.argv[0] and symlink.target with = or != and a quoted
 * plain name ({@code "/usr/bin/dash"}) or an @path_group of at most TMY_COND_RANGES plain names:
 * a name clause whose ranges are the names' path hashes ({lo, hi} = low, high 32 bits). Patterns
 * in the values, a variable on either side of a name variable, exec.argv[N] for N &gt; 0,
 * exec.argc and exec.envp are not compiled.
 */
public final class ConditionCompiler {
    private ConditionCompiler() {}

    static final Map<String, Integer> VARIABLES = Map.ofEntries(Map.entry("task.uid", Abi.TMY_CV_TASK_UID),
            Map.entry("task.euid", Abi.TMY_CV_TASK_EUID), Map.entry("task.suid", Abi.TMY_CV_TASK_SUID),
            Map.entry("task.fsuid", Abi.TMY_CV_TASK_FSUID), Map.entry("task.gid", Abi.TMY_CV_TASK_GID),
            Map.entry("task.egid", Abi.TMY_CV_TASK_EGID), Map.entry("task.sgid", Abi.TMY_CV_TASK_SGID),
            Map.entry("task.fsgid", Abi.TMY_CV_TASK_FSGID), Map.entry("path1.uid", Abi.TMY_CV_PATH1_UID),
            Map.entry("path1.gid", Abi.TMY_CV_PATH1_GID), Map.entry("path1.type", Abi.TMY_CV_PATH1_TYPE),
            Map.entry("path1.perm", Abi.TMY_CV_PATH1_PERM), Map.entry("path1.parent.uid", Abi.TMY_CV_PATH1_PARENT_UID),
            Map.entry("path1.parent.gid", Abi.TMY_CV_PATH1_PARENT_GID),
            Map.entry("path1.parent.perm", Abi.TMY_CV_PATH1_PARENT_PERM));

    /** Name variables (issue 6): compared by path hash. */
    static final Map<String, Integer> NAME_VARIABLES = Map.of(NameConditions.EXEC_REALPATH, Abi.TMY_CV_EXEC_REALPATH,
            NameConditions.EXEC_ARGV0, Abi.TMY_CV_EXEC_ARGV0, NameConditions.SYMLINK_TARGET, Abi.TMY_CV_SYMLINK_TARGET);

    /** TOMOYO's file type names (tomoyo_condition_keyword) as mode & S_IFMT. */
    static final Map<String, Long> TYPES = Map.of("file", 0100000L, "directory", 0040000L, "fifo", 0010000L,
            "socket", 0140000L, "symlink", 0120000L, "block", 0060000L, "char", 0020000L);

    /** Clauses, or the reason the condition is not compiled. */
    public sealed interface Result permits Clauses, NotCompiled {}

    public record Clauses(List<TmyCondRule.Clause> clauses) implements Result {}

    public record NotCompiled(String reason) implements Result {}

    public static Result compile(String condition, NetworkGroups groups) {
        return compile(condition, groups, Map.of());
    }

    /**
     * @param pathGroups path_group name -&gt; members (TOMOYO-encoded words), for {@code @GROUP}
     *                   values of name variables
     */
    public static Result compile(String condition, NetworkGroups groups, Map<String, List<String>> pathGroups) {
        List<TmyCondRule.Clause> out = new ArrayList<>();
        for (String w : condition.trim().split(" +")) {
            if (w.isEmpty()) {
                continue;
            }
            int eq = w.indexOf('=');
            if (eq <= 0) {
                return new NotCompiled("'" + w + "' (a domain transition preference)");
            }
            boolean negate = w.charAt(eq - 1) == '!';
            String left = w.substring(0, negate ? eq - 1 : eq);
            String right = w.substring(eq + 1);
            Integer nv = NAME_VARIABLES.get(left);
            if (nv != null) {
                Object c = nameClause(nv, negate, left, right, pathGroups);
                if (c instanceof NotCompiled nc) {
                    return nc;
                }
                out.add((TmyCondRule.Clause) c);
                continue;
            }
            Integer l = VARIABLES.get(left);
            if (l == null) {
                return new NotCompiled("'" + left + "'");
            }
            if (NAME_VARIABLES.containsKey(right)) {
                return new NotCompiled("'" + w + "' (a number compared with a name)");
            }
            Integer r = VARIABLES.get(right);
            if (r != null) {
                out.add(new TmyCondRule.Clause(l, negate, r, List.of()));
                continue;
            }
            List<long[]> ranges = new ArrayList<>();
            if (l == Abi.TMY_CV_PATH1_TYPE && TYPES.containsKey(right)) {
                long t = TYPES.get(right);
                ranges.add(new long[] {t, t});
            } else if (right.startsWith("@")) {
                List<long[]> g = groups.numberGroup(right.substring(1));
                if (g == null) {
                    return new NotCompiled("number_group " + right.substring(1) + " is not defined");
                }
                ranges.addAll(g);
            } else {
                long[] range = range(right);
                if (range == null) {
                    return new NotCompiled("'" + right + "' (a number, N-M, @number_group or a variable expected)");
                }
                ranges.add(range);
            }
            if (ranges.size() > Abi.TMY_COND_RANGES) {
                return new NotCompiled("'" + right + "' has " + ranges.size() + " ranges (the kernel compares at most "
                        + Abi.TMY_COND_RANGES + ")");
            }
            List<long[]> clamped = new ArrayList<>();
            for (long[] x : ranges) {
                if (x[0] > 0xffffffffL) {
                    return new NotCompiled("'" + right + "': values above 2^32-1 never match a 32-bit value");
                }
                clamped.add(new long[] {x[0], Math.min(x[1], 0xffffffffL)});
            }
            out.add(new TmyCondRule.Clause(l, negate, 0, clamped));
        }
        if (out.isEmpty()) {
            return new NotCompiled("an empty condition");
        }
        if (out.size() > Abi.TMY_COND_CLAUSES) {
            return new NotCompiled(out.size() + " clauses (the kernel evaluates at most " + Abi.TMY_COND_CLAUSES + ")");
        }
        return new Clauses(out);
    }

    /** A clause on a name variable, or the {@link NotCompiled} reason. */
    private static Object nameClause(int var, boolean negate, String left, String right,
                                     Map<String, List<String>> pathGroups) {
        List<String> names;
        if (right.startsWith("@")) {
            names = pathGroups.get(right.substring(1));
            if (names == null) {
                return new NotCompiled("path_group " + right.substring(1) + " is not defined");
            }
            if (names.size() > Abi.TMY_COND_RANGES) {
                return new NotCompiled("'" + left + "=" + right + "': path_group " + right.substring(1) + " has "
                        + names.size() + " names (the kernel compares at most " + Abi.TMY_COND_RANGES + ")");
            }
        } else {
            String v = NameConditions.quotedValue(right);
            if (v == null) {
                return new NotCompiled("'" + left + "=" + right + "' (a quoted name or @path_group expected)");
            }
            names = List.of(v);
        }
        List<long[]> ranges = new ArrayList<>();
        for (String n : names) {
            long h;
            try {
                if (TomoyoName.isPatterned(n)) {
                    throw new IllegalArgumentException("a pattern");
                }
                h = PathHash.of(n);
            } catch (IllegalArgumentException e) {
                return new NotCompiled("'" + left + "' compared with '" + n + "' (the kernel compares plain names, not "
                        + "patterns)");
            }
            ranges.add(new long[] {h & 0xffffffffL, h >>> 32});
        }
        return new TmyCondRule.Clause(var, negate, 0, ranges);
    }

    /** "N" or "N-M" as tomoyo_parse_ulong reads each number, or null. */
    static long[] range(String s) {
        int dash = s.indexOf('-', 1);
        Long lo = ulong(dash < 0 ? s : s.substring(0, dash));
        Long hi = dash < 0 ? lo : ulong(s.substring(dash + 1));
        if (lo == null || hi == null || lo > hi) {
            return null;
        }
        return new long[] {lo, hi};
    }

    static Long ulong(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return s.isEmpty() || !Character.isDigit(s.charAt(0)) ? null : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
