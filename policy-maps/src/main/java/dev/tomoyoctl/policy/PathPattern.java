package dev.tomoyoctl.policy;

import static dev.tomoyoctl.policy.TomoyoName.at;
import static dev.tomoyoctl.policy.TomoyoName.byteRange;

/**
 * Reference matcher for TOMOYO 2.6 pathname patterns, written from the semantics of
 * tomoyo_path_matches_pattern() in security/tomoyo/util.c. Both arguments are TOMOYO-encoded.
 *
 * <pre>
 *   \\     \ itself            \ooo   one byte by octal value
 *   \*     zero or more characters other than '/'
 *   \@     zero or more characters other than '/' or '.'
 *   \?     one character other than '/'
 *   \$     one or more decimal digits     \+  one decimal digit
 *   \X     one or more hexadecimal digits \x  one hexadecimal digit
 *   \A     one or more letters            \a  one letter
 *   \-     subtraction: "A\-B" matches what A matches and B does not (within one component)
 *   /\{dir\}/  '/' then one or more repetitions of "dir/"
 * </pre>
 * An encoded character sequence ({@code \\} or {@code \ooo}) counts as one character. A name
 * ending in '/' (a directory) never matches a pattern not ending in '/' and vice versa. The C
 * code reads the terminating NUL past the end of a component in several places; {@link
 * TomoyoName#at} returns 0 there so the behaviour is the same.
 */
public final class PathPattern {
    private PathPattern() {}

    /** tomoyo_path_matches_pattern(filename, pattern). */
    public static boolean matches(String filename, String pattern) {
        int constLen = TomoyoName.constPartLength(pattern);
        if (constLen >= pattern.length()) {
            return filename.equals(pattern); // not patterned: plain comparison
        }
        if (TomoyoName.isDirectory(filename) != TomoyoName.isDirectory(pattern)) {
            return false;
        }
        if (!filename.regionMatches(0, pattern, 0, constLen)) {
            return false;
        }
        return pathMatches2(filename, constLen, pattern, constLen);
    }

    /** tomoyo_path_matches_pattern2(): component by component, with "\{...\}" recursion. */
    private static boolean pathMatches2(String f, int fi, String p, int pi) {
        int fLen = f.length(), pLen = p.length();
        int fDel, pDel;
        while (fi < fLen && pi < pLen) {
            fDel = indexOrEnd(f, fi);
            pDel = indexOrEnd(p, pi);
            if (at(p, pi) == '\\' && at(p, pi + 1) == '{') {
                return recursive(f, fi, fDel, p, pi, pDel);
            }
            if (!fileMatches(f, fi, fDel, p, pi, pDel)) {
                return false;
            }
            fi = fDel < fLen ? fDel + 1 : fDel;
            pi = pDel < pLen ? pDel + 1 : pDel;
        }
        // Trailing "\*" and "\@" match the empty string.
        while (at(p, pi) == '\\' && (at(p, pi + 1) == '*' || at(p, pi + 1) == '@')) {
            pi += 2;
        }
        return fi >= fLen && pi >= pLen;
    }

    private static boolean recursive(String f, int fi, int fDel, String p, int pi, int pDel) {
        // "\{" only right after '/', "\}" only right before '/', and something in between.
        if (at(p, pi - 1) != '/' || pDel <= pi + 3 || at(p, pDel) != '/' || at(p, pDel - 1) != '}'
                || at(p, pDel - 2) != '\\') {
            return false;
        }
        int fLen = f.length();
        do {
            if (!fileMatches(f, fi, fDel, p, pi + 2, pDel - 2)) {
                break;
            }
            fi = fDel;
            if (fi >= fLen) {
                break;
            }
            fi++;
            if (pathMatches2(f, fi, p, pDel + 1)) {
                return true;
            }
            fDel = f.indexOf('/', fi);
        } while (fDel >= 0);
        return false;
    }

    private static int indexOrEnd(String s, int from) {
        int i = s.indexOf('/', from);
        return i < 0 ? s.length() : i;
    }

    /** tomoyo_file_matches_pattern(): one component, splitting the pattern at "\-". */
    private static boolean fileMatches(String f, int fi, int fEnd, String p, int pi, int pEnd) {
        int start = pi;
        boolean first = true;
        while (pi < pEnd - 1) {
            if (p.charAt(pi++) != '\\' || p.charAt(pi++) != '-') {
                continue;
            }
            boolean result = fileMatches2(f, fi, fEnd, p, start, pi - 2);
            if (first) {
                result = !result;
            }
            if (result) {
                return false;
            }
            first = false;
            start = pi;
        }
        boolean result = fileMatches2(f, fi, fEnd, p, start, pEnd);
        return first ? result : !result;
    }

    /** tomoyo_file_matches_pattern2(): one component without '/' and "\-". */
    private static boolean fileMatches2(String f, int fi, int fEnd, String p, int pi, int pEnd) {
        while (fi < fEnd && pi < pEnd) {
            if (p.charAt(pi) != '\\') {
                if (f.charAt(fi++) != p.charAt(pi++)) {
                    return false;
                }
                continue;
            }
            char c = at(f, fi);
            pi++;
            char token = at(p, pi);
            switch (token) {
                case '?':
                    if (c == '/') {
                        return false;
                    } else if (c == '\\') {
                        if (at(f, fi + 1) == '\\') {
                            fi++;
                        } else if (byteRange(f, fi + 1)) {
                            fi += 3;
                        } else {
                            return false;
                        }
                    }
                    break;
                case '\\':
                    if (c != '\\') {
                        return false;
                    }
                    if (at(f, ++fi) != '\\') {
                        return false;
                    }
                    break;
                case '+':
                    if (!isDigit(c)) {
                        return false;
                    }
                    break;
                case 'x':
                    if (!isXDigit(c)) {
                        return false;
                    }
                    break;
                case 'a':
                    if (!isAlpha(c)) {
                        return false;
                    }
                    break;
                case '0': case '1': case '2': case '3':
                    if (c == '\\' && byteRange(f, fi + 1) && f.regionMatches(fi + 1, p, pi, 3)) {
                        fi += 3;
                        pi += 2;
                        break;
                    }
                    return false;
                case '*':
                case '@':
                    for (int i = 0; i <= fEnd - fi; i++) {
                        if (fileMatches2(f, fi + i, fEnd, p, pi + 1, pEnd)) {
                            return true;
                        }
                        char d = at(f, fi + i);
                        if (d == '.' && token == '@') {
                            break;
                        }
                        if (d != '\\') {
                            continue;
                        }
                        if (at(f, fi + i + 1) == '\\') {
                            i++;
                        } else if (byteRange(f, fi + i + 1)) {
                            i += 3;
                        } else {
                            break; // bad name
                        }
                    }
                    return false;
                default: {
                    int j = 0;
                    if (token == '$') {
                        while (isDigit(at(f, fi + j))) {
                            j++;
                        }
                    } else if (token == 'X') {
                        while (isXDigit(at(f, fi + j))) {
                            j++;
                        }
                    } else if (token == 'A') {
                        while (isAlpha(at(f, fi + j))) {
                            j++;
                        }
                    }
                    for (int i = 1; i <= j; i++) {
                        if (fileMatches2(f, fi + i, fEnd, p, pi + 1, pEnd)) {
                            return true;
                        }
                    }
                    return false; // no match, or a bad pattern
                }
            }
            fi++;
            pi++;
        }
        while (at(p, pi) == '\\' && (at(p, pi + 1) == '*' || at(p, pi + 1) == '@')) {
            pi += 2;
        }
        return fi == fEnd && pi == pEnd;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isXDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlpha(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
