package dev.tomoyoctl.policy;

import java.io.ByteArrayOutputStream;

/**
 * TOMOYO's string representation of names (paths, domain names, pattern words).
 *
 * <p>TOMOYO (security/tomoyo/realpath.c, tomoyo_encode2) writes every byte {@code c} of a raw name
 * as itself when {@code 0x20 < c < 0x7f} and {@code c != '\\'}, writes {@code '\\'} as
 * {@code "\\\\"}, and writes every other byte (0x00-0x20 including the space, 0x7f-0xff) as a
 * backslash and three octal digits ({@code "\\ooo"}). So an encoded name is pure printable ASCII
 * without spaces, which is what lets policy lines be split on spaces.
 *
 * <p>Policy files are read and written as ISO-8859-1 in this module so that every byte of a file
 * maps to exactly one {@code char}; encoded names are ASCII anyway.
 *
 * <p>The validators mirror tomoyo_correct_word2 / tomoyo_correct_path / tomoyo_correct_domain /
 * tomoyo_domain_def of security/tomoyo/util.c (TOMOYO 2.6), so a name accepted here is one the
 * kernel's TOMOYO would accept too.
 */
public final class TomoyoName {
    private TomoyoName() {}

    /** TOMOYO_EXEC_TMPSIZE: the buffer size TOMOYO builds new domain names in. */
    public static final int EXEC_TMPSIZE = 4096;
    /**
     * A domain name of this many bytes or more cannot be created by TOMOYO
     * ({@code strlen(domainname) >= TOMOYO_EXEC_TMPSIZE - 10} in tomoyo_assign_domain).
     */
    public static final int MAX_DOMAIN_NAME_LENGTH = EXEC_TMPSIZE - 10;

    /** Encodes raw bytes the way tomoyo_encode2 does. */
    public static String encode(byte[] raw) {
        return encode(raw, 0, raw.length);
    }

    /** Encodes {@code raw[off, off+len)} the way tomoyo_encode2 does. */
    public static String encode(byte[] raw, int off, int len) {
        StringBuilder sb = new StringBuilder(len + 16);
        for (int i = off; i < off + len; i++) {
            int c = raw[i] & 0xff;
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c > ' ' && c < 127) {
                sb.append((char) c);
            } else {
                sb.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return sb.toString();
    }

    /**
     * Decodes an encoded name to its raw bytes. Only {@code \\} and {@code \ooo} escapes are
     * decodable; a pattern token ({@code \*}, {@code \{} ...) is not a byte sequence and is rejected,
     * as is a non-canonical escape ({@code \101} for 'A': TOMOYO itself refuses those) and any
     * character outside 0x21..0x7e.
     *
     * @throws IllegalArgumentException naming the offending position
     */
    public static byte[] decode(String encoded) {
        return decode(encoded, false);
    }

    /**
     * Like {@link #decode} but keeps any other backslash sequence (a pattern token) verbatim as its
     * two characters. Used only where a name must be hashed even though it holds pattern tokens
     * (for example a domain name TOMOYO built from a matched pattern); raw paths can never produce
     * such bytes in a canonical encoding, so this is documented as a lossy convenience.
     */
    public static byte[] decodeLenient(String encoded) {
        return decode(encoded, true);
    }

    private static byte[] decode(String s, boolean lenient) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new IllegalArgumentException("character 0x" + Integer.toHexString(c) + " at offset " + i
                        + " is not allowed in a TOMOYO name (it must be written as \\ooo)");
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char d = at(s, i + 1);
            if (d == '\\') {
                out.write('\\');
                i++;
                continue;
            }
            if (byteRange(s, i + 1)) {
                int v = ((d - '0') << 6) | ((s.charAt(i + 2) - '0') << 3) | (s.charAt(i + 3) - '0');
                if (v != 0 && !invalidByte(v)) { // \000 is how tomoyo_encode writes a NUL byte
                    if (lenient) {
                        out.write(v);
                        i += 3;
                        continue;
                    }
                    throw new IllegalArgumentException("escape \\" + s.substring(i + 1, i + 4) + " at offset " + i
                            + " encodes a printable byte; TOMOYO requires it written as itself");
                }
                out.write(v);
                i += 3;
                continue;
            }
            if (lenient && d != 0) {
                out.write('\\');
                out.write(d);
                i++;
                continue;
            }
            throw new IllegalArgumentException(d == 0 ? "dangling backslash at the end"
                    : "\\" + d + " at offset " + i + " is a pattern token, not a byte");
        }
        return out.toByteArray();
    }

    /** tomoyo_invalid(): a non-NUL byte that TOMOYO must write as \ooo. */
    static boolean invalidByte(int c) {
        return c != 0 && (c <= ' ' || c >= 127);
    }

    /** tomoyo_byte_range(): three characters that look like \ooo digits (first digit 0-3). */
    static boolean byteRange(String s, int i) {
        char a = at(s, i), b = at(s, i + 1), c = at(s, i + 2);
        return a >= '0' && a <= '3' && b >= '0' && b <= '7' && c >= '0' && c <= '7';
    }

    /** Character at {@code i}, or NUL past the end: the C code reads the terminating NUL there. */
    static char at(String s, int i) {
        return i >= 0 && i < s.length() ? s.charAt(i) : 0;
    }

    /** tomoyo_correct_word(). */
    public static boolean isCorrectWord(String s) {
        return correctWord(s, 0, s.length());
    }

    /** tomoyo_correct_path(): a correct word starting with '/'. */
    public static boolean isCorrectPath(String s) {
        return !s.isEmpty() && s.charAt(0) == '/' && isCorrectWord(s);
    }

    /** tomoyo_correct_word2() over {@code s[from, to)}. */
    static boolean correctWord(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        boolean inRepetition = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= to) {
                    return false;
                }
                char d = s.charAt(++i);
                switch (d) {
                    case '\\': case '$': case '+': case '?': case '*': case '@':
                    case 'x': case 'X': case 'a': case 'A': case '-':
                        continue;
                    case '{':
                        // "/\{" only: the character before the backslash must be '/'.
                        if (i - 2 < from || s.charAt(i - 2) != '/') {
                            return false;
                        }
                        inRepetition = true;
                        continue;
                    case '}':
                        // "\}/" only, and only closing an open "\{".
                        if (i + 1 >= s.length() || s.charAt(i + 1) != '/' || !inRepetition) {
                            return false;
                        }
                        inRepetition = false;
                        continue;
                    case '0': case '1': case '2': case '3':
                        if (i + 2 >= to) {
                            return false;
                        }
                        char e = s.charAt(i + 1), f = s.charAt(i + 2);
                        if (e < '0' || e > '7' || f < '0' || f > '7') {
                            return false;
                        }
                        i += 2;
                        if (invalidByte(((d - '0') << 6) + ((e - '0') << 3) + (f - '0'))) {
                            continue; // and never \000
                        }
                        return false;
                    default:
                        return false;
                }
            } else if (inRepetition && c == '/') {
                return false;
            } else if (c == 0 || invalidByte(c) || c > 0xff) {
                return false;
            }
        }
        return !inRepetition;
    }

    /** tomoyo_domain_def(): the first word is "&lt;...&gt;" with a correct word inside. */
    public static boolean isDomainDef(String s) {
        if (s.isEmpty() || s.charAt(0) != '<') {
            return false;
        }
        int sp = s.indexOf(' ');
        int len = sp < 0 ? s.length() : sp;
        return s.charAt(len - 1) == '>' && correctWord(s, 1, len - 1);
    }

    /** tomoyo_correct_domain(): "&lt;ns&gt;" followed by space-separated correct paths. */
    public static boolean isCorrectDomain(String s) {
        if (!isDomainDef(s)) {
            return false;
        }
        int sp = s.indexOf(' ');
        if (sp < 0) {
            return true;
        }
        int start = sp + 1;
        while (true) {
            int next = s.indexOf(' ', start);
            if (next < 0) {
                break;
            }
            if (start >= next || s.charAt(start) != '/' || !correctWord(s, start, next)) {
                return false;
            }
            start = next + 1;
        }
        return isCorrectPath(s.substring(start));
    }

    /**
     * tomoyo_const_part_length(): the length of the leading part without pattern tokens
     * ({@code \\} and {@code \ooo} count as constant).
     */
    public static int constPartLength(String s) {
        int len = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i++);
            if (c != '\\') {
                len++;
                continue;
            }
            c = at(s, i++);
            if (c == '\\') {
                len += 2;
                continue;
            }
            if (c >= '0' && c <= '3') {
                char d = at(s, i++);
                if (d < '0' || d > '7') {
                    break;
                }
                d = at(s, i++);
                if (d < '0' || d > '7') {
                    break;
                }
                len += 4;
                continue;
            }
            break;
        }
        return len;
    }

    /** tomoyo_fill_path_info()'s is_patterned: the name holds at least one pattern token. */
    public static boolean isPatterned(String s) {
        return constPartLength(s) < s.length();
    }

    /** tomoyo_fill_path_info()'s is_dir: the name ends with '/'. */
    public static boolean isDirectory(String s) {
        return !s.isEmpty() && s.charAt(s.length() - 1) == '/';
    }

    /** The namespace ("&lt;kernel&gt;") of a domain name: its first word. */
    public static String namespaceOf(String domainName) {
        int sp = domainName.indexOf(' ');
        return sp < 0 ? domainName : domainName.substring(0, sp);
    }

    /** tomoyo_last_word(): the last space-separated word of a domain name. */
    public static String lastWord(String domainName) {
        int sp = domainName.lastIndexOf(' ');
        return sp < 0 ? domainName : domainName.substring(sp + 1);
    }
}
