package dev.tomoyoctl.policy.patternize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff (as diff -u prints it, applicable with patch) of two texts, by Myers' O(ND)
 * shortest edit script: cheap when the texts differ in few lines, as a patternized policy does.
 * Each hunk header names the domain its first line is in (as git names the function), so a
 * reviewer sees which domain a change belongs to.
 */
public final class UnifiedDiff {
    private UnifiedDiff() {}

    private record Edit(char kind, int a, int b) {} // ' ' both, '-' a only, '+' b only

    public static String diff(String oldName, String newName, String before, String after, int context) {
        String[] a = lines(before);
        String[] b = lines(after);
        List<Edit> script = script(a, b);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).kind == ' ') {
                i++;
                continue;
            }
            // a hunk: from `context` lines before this change to `context` lines after the last
            // change that is at most 2*context lines away from the previous one
            int start = Math.max(0, i - context);
            int end = i;
            int j = i;
            while (j < script.size()) {
                if (script.get(j).kind != ' ') {
                    end = j;
                    j++;
                    continue;
                }
                int k = j;
                while (k < script.size() && script.get(k).kind == ' ') {
                    k++;
                }
                if (k < script.size() && k - j <= 2 * context) {
                    j = k;
                } else {
                    break;
                }
            }
            int stop = Math.min(script.size(), end + 1 + context);
            int aStart = -1, bStart = -1, aLen = 0, bLen = 0;
            StringBuilder body = new StringBuilder();
            for (int k = start; k < stop; k++) {
                Edit e = script.get(k);
                if (e.kind != '+') {
                    aLen++;
                    if (aStart < 0) {
                        aStart = e.a;
                    }
                }
                if (e.kind != '-') {
                    bLen++;
                    if (bStart < 0) {
                        bStart = e.b;
                    }
                }
                body.append(e.kind).append(e.kind == '+' ? b[e.b] : a[e.a]).append('\n');
            }
            if (out.length() == 0) {
                out.append("--- ").append(oldName).append('\n').append("+++ ").append(newName).append('\n');
            }
            int firstA = aStart >= 0 ? aStart : positionIn(script, start, true);
            int firstB = bStart >= 0 ? bStart : positionIn(script, start, false);
            out.append("@@ -").append(range(firstA, aLen)).append(" +").append(range(firstB, bLen)).append(" @@");
            String domain = domainAt(a, firstA);
            if (domain != null) {
                out.append(' ').append(domain);
            }
            out.append('\n').append(body);
            i = stop;
        }
        return out.toString();
    }

    /** diff -u's "start,length" (1-based; an empty range names the line before it). */
    private static String range(int start0, int len) {
        int start = len == 0 ? start0 : start0 + 1;
        return len == 1 ? String.valueOf(start) : start + "," + len;
    }

    /** Index in a (or b) of the lines before script position k. */
    private static int positionIn(List<Edit> script, int k, boolean inA) {
        int n = 0;
        for (int i = 0; i < k; i++) {
            char kind = script.get(i).kind;
            if (inA ? kind != '+' : kind != '-') {
                n++;
            }
        }
        return n;
    }

    /** The domain name line at or above line i of the old text. */
    private static String domainAt(String[] a, int i) {
        for (int k = Math.min(i, a.length - 1); k >= 0; k--) {
            if (a[k].startsWith("<")) {
                return a[k];
            }
        }
        return null;
    }

    static String[] lines(String s) {
        if (s.isEmpty()) {
            return new String[0];
        }
        String[] l = s.split("\n", -1);
        return s.endsWith("\n") ? Arrays.copyOf(l, l.length - 1) : l;
    }

    /** Myers' greedy shortest edit script, with the V arrays kept for the walk back. */
    private static List<Edit> script(String[] a, String[] b) {
        int n = a.length, m = b.length, max = n + m;
        int off = max + 1;
        List<int[]> trace = new ArrayList<>();
        int[] v = new int[2 * max + 3];
        int dFound = -1;
        outer:
        for (int d = 0; d <= max; d++) {
            // v's values for k in [-d, d] as they were before step d: all the walk back needs
            // (O(D^2) memory, not O((N+M)D))
            trace.add(Arrays.copyOfRange(v, off - d, off + d + 1));
            for (int k = -d; k <= d; k += 2) {
                int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a[x].equals(b[y])) {
                    x++;
                    y++;
                }
                v[off + k] = x;
                if (x >= n && y >= m) {
                    dFound = d;
                    break outer;
                }
            }
        }
        List<Edit> rev = new ArrayList<>();
        int x = n, y = m;
        for (int d = dFound; d > 0; d--) {
            int[] pv = trace.get(d);
            int k = x - y;
            int prevK = (k == -d || (k != d && pv[k - 1 + d] < pv[k + 1 + d])) ? k + 1 : k - 1;
            int prevX = pv[prevK + d];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                rev.add(new Edit(' ', --x, --y));
            }
            if (x == prevX) {
                rev.add(new Edit('+', x, --y));
            } else {
                rev.add(new Edit('-', --x, y));
            }
        }
        while (x > 0 && y > 0) {
            rev.add(new Edit(' ', --x, --y));
        }
        List<Edit> out = new ArrayList<>(rev.size());
        for (int i = rev.size() - 1; i >= 0; i--) {
            out.add(rev.get(i));
        }
        return out;
    }
}
