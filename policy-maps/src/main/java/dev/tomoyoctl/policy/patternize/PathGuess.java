package dev.tomoyoctl.policy.patternize;

import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.TomoyoName;

import java.util.ArrayList;
import java.util.List;

/**
 * Guesses a pattern for a learned path whose name varies between runs. Conservative by design:
 * a wrong pattern silently grants more than was learned, a missed one only costs another
 * learning round. So:
 * <ul>
 * <li>installed files and configuration ({@link #FIXED_ROOTS}: /etc, /usr, /bin, ...) are never
 *     patterned, not even when two runs saw different names there (that is a different file);</li>
 * <li>names are only guessed from their shape in places where programs create varying names
 *     ({@link #VOLATILE_ROOTS}: /tmp, /run, /var/log, ...), in /proc/PID and in /dev/pts;</li>
 * <li>only the varying part of a name is replaced, by the narrowest TOMOYO token that fits
 *     ({@code \$} digits, {@code \X} hex digits, {@code \*} only for a random run next to a
 *     literal part), so "log.1" becomes "log.\$", not "\*".</li>
 * </ul>
 * Every guess matches the path it came from ({@link PathPattern#matches}), which tests check.
 */
public final class PathGuess {
    private PathGuess() {}

    /** A pattern for a path and the reason for it. */
    public record Guess(String pattern, String reason) {}

    /** Where names are installed, not created at run time: never patterned. */
    public static final List<String> FIXED_ROOTS = List.of("/etc/", "/usr/", "/bin/", "/sbin/", "/lib/", "/lib32/",
            "/lib64/", "/libx32/", "/opt/", "/boot/");

    /** Where programs create files with varying names (temporary files, runtime state, rotated logs). */
    public static final List<String> VOLATILE_ROOTS = List.of("/tmp/", "/var/tmp/", "/dev/shm/", "/run/", "/var/run/",
            "/var/log/", "/var/spool/", "/var/cache/");

    static boolean isFixed(String path) {
        return FIXED_ROOTS.stream().anyMatch(path::startsWith);
    }

    static String volatileRoot(String path) {
        return VOLATILE_ROOTS.stream().filter(path::startsWith).findFirst().orElse(null);
    }

    /**
     * A pattern for one path judged by its shape alone, or null. Paths already patterned, group
     * references and fixed paths get none.
     */
    public static Guess guess(String path) {
        if (path.startsWith("@") || TomoyoName.isPatterned(path) || isFixed(path)) {
            return null;
        }
        Guess g = proc(path);
        if (g == null) {
            g = pts(path);
        }
        if (g == null) {
            g = volatileName(path);
        }
        return g != null && PathPattern.matches(path, g.pattern()) ? g : null;
    }

    /** /proc/PID/... and proc:/PID/... (also .../task/TID/...); PID 1 (init) is one process. */
    private static Guess proc(String path) {
        String root = path.startsWith("/proc/") ? "/proc/" : path.startsWith("proc:/") ? "proc:/" : null;
        if (root == null) {
            return null;
        }
        String[] c = path.substring(root.length()).split("/", -1);
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < c.length - 1; i++) {
            boolean pidSlot = i == 0 || (i >= 2 && c[i - 1].equals("task"));
            if (pidSlot && isDigits(c[i]) && !c[i].equals("1") && !(i == 0 && c[i].equals("0"))) {
                pids.add(c[i]);
                c[i] = "\\$";
            }
        }
        if (pids.isEmpty()) {
            return null;
        }
        return new Guess(root + String.join("/", c), "process id " + String.join(", ", pids)
                + " differs in every run (" + root + "self/ names the process itself)");
    }

    private static Guess pts(String path) {
        String root = "/dev/pts/";
        if (path.startsWith(root) && isDigits(path.substring(root.length()))) {
            return new Guess(root + "\\$", "pseudo-terminal number differs between sessions");
        }
        return null;
    }

    /**
     * Below a volatile root: random runs in any component (mktemp-like: letters and digits mixed
     * with at least three changes between upper case, lower case and digits, e.g. tmp.AbC123xyZ0),
     * long hex runs, and in the last component a number after a separator (log.1, app-1234.sock).
     */
    private static Guess volatileName(String path) {
        String root = volatileRoot(path);
        if (root == null) {
            return null;
        }
        String[] c = path.substring(root.length()).split("/", -1);
        int last = c.length - 1;
        while (last > 0 && c[last].isEmpty()) {
            last--; // a directory's trailing slash
        }
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String p = component(c[i], i == last, reasons);
            c[i] = p;
        }
        if (reasons.isEmpty()) {
            return null;
        }
        return new Guess(root + String.join("/", c), String.join("; ", reasons));
    }

    /** One component with its varying runs replaced; appends a reason per replacement. */
    private static String component(String s, boolean last, List<String> reasons) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                // a \ooo escape (or \\): copied, never part of a run
                int end = Math.min(n, i + (i + 1 < n && s.charAt(i + 1) == '\\' ? 2 : 4));
                out.append(s, i, end);
                i = end;
                continue;
            }
            if (!isAlnum(ch)) {
                out.append(ch);
                i++;
                continue;
            }
            int j = i;
            while (j < n && isAlnum(s.charAt(j))) {
                j++;
            }
            String run = s.substring(i, j);
            char before = i == 0 ? '/' : s.charAt(i - 1);
            boolean literalAround = i > 0 || j < n;
            out.append(replaceRun(run, before, last, literalAround, reasons));
            i = j;
        }
        return out.toString();
    }

    private static String replaceRun(String run, char before, boolean last, boolean literalAround, List<String> reasons) {
        if (isDigits(run)) {
            if (run.length() >= 8) {
                reasons.add("number " + run + " (a time stamp or id) differs between runs");
                return "\\$";
            }
            if (last && (before == '.' || before == '-' || before == '_')) {
                reasons.add("numbered name (" + run + ") differs between runs");
                return "\\$";
            }
            return run;
        }
        if (run.length() >= 8 && isHex(run) && hasDigit(run) && hasLetter(run)) {
            reasons.add("hex id " + run + " differs between runs");
            return "\\X";
        }
        // "tmpXXXXXXXX" (Python's tempfile): keep the fixed "tmp".
        String fixed = run.startsWith("tmp") && run.length() >= 9 && looksRandom(run.substring(3)) ? "tmp" : "";
        String var = run.substring(fixed.length());
        if (looksRandom(var)) {
            if (!literalAround && fixed.isEmpty()) {
                // A bare random name: keep at least its length (\* alone would match every name).
                reasons.add("random name " + run + " (temporary file)");
                return "\\?".repeat(var.length());
            }
            reasons.add("random part " + var + " (temporary file name)");
            return fixed + "\\*";
        }
        return run;
    }

    /** Mixed letters and digits that change class at least three times: "AbC123xyZ0", "k3j2l9". */
    static boolean looksRandom(String s) {
        if (s.length() < 6 || !hasDigit(s) || !hasLetter(s)) {
            return false;
        }
        int changes = 0;
        for (int i = 1; i < s.length(); i++) {
            if (charClass(s.charAt(i)) != charClass(s.charAt(i - 1))) {
                changes++;
            }
        }
        return changes >= 3;
    }

    /**
     * A pattern for two paths that name the same thing in two learning runs, or null: they must
     * have the same components except one, outside the fixed roots, and the differing parts of
     * that component must look variable (digits, hex runs of 4 or more, random runs).
     */
    public static Guess fromPair(String a, String b) {
        if (a.equals(b) || isFixed(a) || isFixed(b) || a.startsWith("@") || b.startsWith("@")
                || TomoyoName.isPatterned(a) || TomoyoName.isPatterned(b)) {
            return null;
        }
        String[] ca = a.split("/", -1);
        String[] cb = b.split("/", -1);
        if (ca.length != cb.length) {
            return null;
        }
        int diff = -1;
        for (int i = 0; i < ca.length; i++) {
            if (!ca[i].equals(cb[i])) {
                if (diff >= 0) {
                    return null;
                }
                diff = i;
            }
        }
        String x = ca[diff], y = cb[diff];
        if (x.indexOf('\\') >= 0 || y.indexOf('\\') >= 0) {
            return null; // escapes: not worth the risk of splitting one
        }
        int p = 0;
        while (p < x.length() && p < y.length() && x.charAt(p) == y.charAt(p)) {
            p++;
        }
        int s = 0;
        while (s < x.length() - p && s < y.length() - p && x.charAt(x.length() - 1 - s) == y.charAt(y.length() - 1 - s)) {
            s++;
        }
        // Do not cut a run of digits or letters in the middle ("log.12" vs "log.13": all of "12").
        while (p > 0 && isAlnum(x.charAt(p - 1))) {
            p--;
        }
        while (s > 0 && isAlnum(x.charAt(x.length() - s))) {
            s--;
        }
        String mx = x.substring(p, x.length() - s), my = y.substring(p, y.length() - s);
        String token;
        String what;
        if (isDigits(mx) && isDigits(my)) {
            token = "\\$";
            what = "a number";
        } else if (mx.length() >= 4 && my.length() >= 4 && isHex(mx) && isHex(my) && hasDigit(mx) && hasDigit(my)) {
            token = "\\X";
            what = "a hex id";
        } else if (isAlnumRun(mx) && isAlnumRun(my) && mx.length() >= 4 && my.length() >= 4 && hasDigit(mx)
                && hasDigit(my)) {
            token = "\\*";
            what = "a random part";
        } else {
            return null;
        }
        if (token.equals("\\*") && p == 0 && s == 0) {
            // nothing literal left: \* alone would match every name there; keep the length
            if (mx.length() != my.length()) {
                return null;
            }
            token = "\\?".repeat(mx.length());
        }
        ca[diff] = x.substring(0, p) + token + x.substring(x.length() - s);
        String pattern = String.join("/", ca);
        if (!PathPattern.matches(a, pattern) || !PathPattern.matches(b, pattern)) {
            return null;
        }
        return new Guess(pattern, "differs between the two learning runs (" + what + ": " + mx + " here, " + my
                + " in the other run)");
    }

    private static int charClass(char c) {
        return Character.isDigit(c) ? 0 : Character.isUpperCase(c) ? 1 : 2;
    }

    private static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnumRun(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> isAlnum((char) c));
    }

    static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isHex(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                || (c >= 'A' && c <= 'F'));
    }

    private static boolean hasDigit(String s) {
        return s.chars().anyMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean hasLetter(String s) {
        return s.chars().anyMatch(Character::isLetter);
    }
}
