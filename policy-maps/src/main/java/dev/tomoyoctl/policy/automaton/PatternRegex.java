package dev.tomoyoctl.policy.automaton;

import dev.tomoyoctl.policy.TomoyoName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOMOYO pathname pattern as a {@link Regex} over the raw bytes of a name: the set of names
 * {@link dev.tomoyoctl.policy.PathPattern#matches} (the reference, written from
 * tomoyo_path_matches_pattern()) says it matches, quirks included. The kernel judges raw bytes,
 * so the encoding is undone here: an encoded byte ({@code \ooo}, {@code \\}) is one byte, which
 * is also how the reference counts it as one character.
 *
 * <p>The structure follows the reference function by function:
 * <ul>
 * <li>matches(): the constant prefix, then pathMatches2 on the rest, intersected with "is a
 *     directory (ends in '/') iff the pattern is";
 * <li>pathMatches2(): component by component; when the name runs out first, the rest of the
 *     pattern may only be {@code \*} and {@code \@} tokens (so "/\*&#47;a/\*" matches "/x/a");
 *     a component {@code \{X\}} right after '/' and right before '/' is one or more "X/";
 * <li>fileMatches(): "A\-B\-C" is A and not B and not C;
 * <li>fileMatches2(): the tokens; an unknown token matches nothing.
 * </ul>
 */
public final class PatternRegex {
    private final Regex.Factory f;
    private final Regex notSlash, notSlashDot, digit, xdigit, alpha, slash, nonEmpty;

    public PatternRegex(Regex.Factory f) {
        this.f = f;
        this.notSlash = f.set(except('/'));
        this.notSlashDot = f.set(except('/', '.'));
        this.digit = f.set(range('0', '9'));
        this.xdigit = f.or(digit, f.set(range('a', 'f')), f.set(range('A', 'F')));
        this.alpha = f.or(f.set(range('a', 'z')), f.set(range('A', 'Z')));
        this.slash = f.bytes('/');
        this.nonEmpty = f.plus(f.set(except()));
    }

    /** The names a TOMOYO-encoded pattern matches (for an unpatterned word: that one name). */
    public Regex of(String pattern) {
        int constLen = TomoyoName.constPartLength(pattern);
        if (constLen >= pattern.length()) {
            return f.literal(TomoyoName.decode(pattern));
        }
        Regex prefix = f.literal(TomoyoName.decode(pattern.substring(0, constLen)));
        Regex rest = new Walk(pattern).pm(constLen);
        Regex endsInSlash = f.cat(f.star(f.set(except())), slash);
        Regex dir = TomoyoName.isDirectory(pattern) ? endsInSlash : f.not(endsInSlash);
        return f.and(f.cat(prefix, rest), dir);
    }

    /** The objects a rule matches: its pattern, or with a tail "PATTERN\0TAIL". */
    public Regex of(PathAutomaton.Rule rule) {
        Regex name = of(rule.pattern());
        return rule.tail() == null ? name : f.cat(name, f.cat(f.bytes(0), rule.tail().regex(f, this)));
    }

    /** One pattern's pathMatches2 regexes, memoized by position. */
    private final class Walk {
        private final String p;
        private final Map<Integer, Regex> memo = new HashMap<>();

        Walk(String p) {
            this.p = p;
        }

        /** Names f (maybe empty) with pathMatches2(f, p[i..]). */
        Regex pm(int i) {
            Regex r = memo.get(i);
            if (r == null) {
                r = pm0(i);
                memo.put(i, r);
            }
            return r;
        }

        private Regex pm0(int i) {
            int len = p.length();
            Regex whenNameEnds = isTail(i) ? f.eps : f.empty;
            if (i >= len) {
                return whenNameEnds;
            }
            int del = p.indexOf('/', i);
            if (del < 0) {
                del = len;
            }
            Regex nonEmpty;
            if (at(i) == '\\' && at(i + 1) == '{') {
                if (at(i - 1) != '/' || del <= i + 3 || at(del) != '/' || at(del - 1) != '}' || at(del - 2) != '\\') {
                    nonEmpty = f.empty; // a misplaced "\{": the reference returns false
                } else {
                    Regex unit = f.cat(component(i + 2, del - 2), slash);
                    nonEmpty = f.cat(f.plus(unit), pm(del + 1));
                }
            } else {
                int next = del < len ? del + 1 : del;
                Regex after = f.or(f.cat(slash, pm(next)), isTail(next) ? f.eps : f.empty);
                nonEmpty = f.and(f.cat(component(i, del), after), PatternRegex.this.nonEmpty);
            }
            return f.or(whenNameEnds, nonEmpty);
        }

        /** The rest of the pattern is only "\*" and "\@" tokens (what a name that ended may skip). */
        private boolean isTail(int i) {
            while (at(i) == '\\' && (at(i + 1) == '*' || at(i + 1) == '@')) {
                i += 2;
            }
            return i >= p.length();
        }

        /** tomoyo_file_matches_pattern over p[s, e): split at "\-" as the reference scans it. */
        private Regex component(int s, int e) {
            List<int[]> parts = new ArrayList<>();
            int k = s, start = s;
            while (k < e - 1) {
                if (p.charAt(k++) != '\\' || p.charAt(k++) != '-') {
                    continue;
                }
                parts.add(new int[] {start, k - 2});
                start = k;
            }
            parts.add(new int[] {start, e});
            List<Regex> all = new ArrayList<>();
            for (int j = 0; j < parts.size(); j++) {
                Regex r = tokens(parts.get(j)[0], parts.get(j)[1]);
                all.add(j == 0 ? r : f.not(r));
            }
            return f.and(all);
        }

        /** tomoyo_file_matches_pattern2 over p[s, e): a sequence of tokens. */
        private Regex tokens(int s, int e) {
            List<Regex> seq = new ArrayList<>();
            int k = s;
            while (k < e) {
                char c = p.charAt(k);
                if (c != '\\') {
                    seq.add(f.bytes(c));
                    k++;
                    continue;
                }
                char t = at(k + 1);
                k += 2;
                switch (t) {
                    case '\\' -> seq.add(f.bytes('\\'));
                    case '0', '1', '2', '3' -> {
                        int v = ((t - '0') << 6) | ((at(k) - '0') << 3) | (at(k + 1) - '0');
                        seq.add(f.bytes(v));
                        k += 2;
                    }
                    case '?' -> seq.add(notSlash);
                    case '+' -> seq.add(digit);
                    case 'x' -> seq.add(xdigit);
                    case 'a' -> seq.add(alpha);
                    case '*' -> seq.add(f.star(notSlash));
                    case '@' -> seq.add(f.star(notSlashDot));
                    case '$' -> seq.add(f.plus(digit));
                    case 'X' -> seq.add(f.plus(xdigit));
                    case 'A' -> seq.add(f.plus(alpha));
                    default -> {
                        return f.empty; // not a token inside a component: the reference fails
                    }
                }
            }
            Regex r = f.eps;
            for (int j = seq.size() - 1; j >= 0; j--) {
                r = f.cat(seq.get(j), r);
            }
            return r;
        }

        private char at(int i) {
            return i >= 0 && i < p.length() ? p.charAt(i) : 0;
        }
    }

    static long[] except(int... bytes) {
        long[] bits = {-1L, -1L, -1L, -1L};
        bits[0] &= ~1L; // NUL never occurs in a name
        for (int b : bytes) {
            bits[b >>> 6] &= ~(1L << (b & 63));
        }
        return bits;
    }

    static long[] range(int lo, int hi) {
        long[] bits = new long[4];
        for (int b = lo; b <= hi; b++) {
            bits[b >>> 6] |= 1L << (b & 63);
        }
        return bits;
    }
}
