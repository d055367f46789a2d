package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.TomoyoName;

import java.util.Optional;

/**
 * Which TOMOYO patterns, together, mean "every path strictly below the directory P" (P = a
 * constant TOMOYO name starting and ending with '/'), which is what a TMY_MATCH_SUBTREE key
 * grants in the kernel: a path X is covered when X starts with P and is longer than P. The key's
 * hash is the hash of P's raw bytes including the trailing '/'.
 *
 * <p>Reading tomoyo_path_matches_pattern() (security/tomoyo/util.c):
 * <ul>
 * <li>a pattern ending in '/' only matches directories (names ending in '/') and a pattern not
 *     ending in '/' only matches non-directories, because is_dir must be equal; TOMOYO names a
 *     directory with a trailing '/';</li>
 * <li>{@code P\*} matches the non-directories directly in P (one component; "\*" never crosses
 *     '/'), not deeper ones; the empty match would be "P" itself, a directory, so it is excluded;</li>
 * <li>{@code /\{dir\}/} means '/' plus ONE OR MORE repetitions of "dir/", so {@code P\{\*\}/\*}
 *     matches non-directories at least one directory below P and NOT the files directly in P;</li>
 * <li>{@code P\{\*\}/} matches every directory strictly below P, at any depth;
 *     {@code P\*}{@code /} the directories directly in P, {@code P\{\*\}/\*}{@code /} the deeper ones.</li>
 * </ul>
 * So no single TOMOYO 2.6 pattern means the whole subtree: {@code /dir/\*} leaves out everything
 * deeper, {@code /dir/\{\*\}/\*} leaves out the files directly in /dir/ and all directories. The
 * union {@code P\*} + {@code P\{\*\}/\*} + {@code P\{\*\}/} (equivalently with {@code P\*}{@code /} +
 * {@code P\{\*\}/\*}{@code /} for the directories) is exactly the subtree; it is also the idiom of
 * TOMOYO's own tools (tomoyo-init's ANY_PATHNAME group is "/", "/\*", "/\{\*\}/", "/\{\*\}/\*").
 *
 * <p>Decision: the compiler emits a SUBTREE key for P with permission bit b only when, within one
 * domain, unconditional rules grant b on all three parts (non-directories directly in P, deeper
 * non-directories, all directories below P). A pattern of these shapes whose permission is not
 * matched by the other parts is kept and reported "not enforced in the kernel yet": compiling it
 * alone as a subtree would grant names TOMOYO does not. {@code file execute} is never compiled
 * into a subtree key: when an execute is granted by a pattern, TOMOYO names the new domain after
 * the pattern text (tomoyo_find_next_domain uses the matched ACL's name), which the kernel cannot
 * reproduce. Property tests check the equivalence against {@link dev.tomoyoctl.policy.PathPattern}.
 */
public enum SubtreeShape {
    /** P\{\*\}/\* : non-directories one or more levels below P. */
    FILES_DEEP("\\{\\*\\}/\\*"),
    /** P\{\*\}/\* / : directories two or more levels below P. */
    DIRS_DEEP("\\{\\*\\}/\\*/"),
    /** P\{\*\}/ : all directories below P. */
    DIRS_ALL("\\{\\*\\}/"),
    /** P\* / : directories directly in P. */
    DIRS_DIRECT("\\*/"),
    /** P\* : non-directories directly in P. */
    FILES_DIRECT("\\*");

    private final String suffix;

    SubtreeShape(String suffix) {
        this.suffix = suffix;
    }

    /** The pattern text after the prefix P. */
    public String suffix() {
        return suffix;
    }

    /** A pattern split into its constant directory prefix and its shape. */
    public record Match(String prefix, SubtreeShape shape) {}

    /** The shape of a pattern, if it is {@code P + suffix} with P a constant "/.../" name. */
    public static Optional<Match> of(String pattern) {
        for (SubtreeShape s : values()) { // longest suffixes first
            if (pattern.endsWith(s.suffix)) {
                String prefix = pattern.substring(0, pattern.length() - s.suffix.length());
                if (prefix.startsWith("/") && prefix.endsWith("/") && !TomoyoName.isPatterned(prefix)
                        && TomoyoName.isCorrectPath(prefix)) {
                    return Optional.of(new Match(prefix, s));
                }
            }
        }
        return Optional.empty();
    }

    /** The three patterns whose union is the subtree below {@code prefix}. */
    public static String[] canonicalPatterns(String prefix) {
        return new String[] {prefix + FILES_DIRECT.suffix, prefix + FILES_DEEP.suffix, prefix + DIRS_ALL.suffix};
    }

    /** The kernel's TMY_MATCH_SUBTREE test on (encoded) names: strictly below the prefix. */
    public static boolean inSubtree(String path, String prefix) {
        return path.length() > prefix.length() && path.startsWith(prefix);
    }

    /**
     * The permission bits a domain's rules grant on the whole subtree, given the bits granted per
     * shape (indexed by ordinal).
     */
    static int wholeSubtreeBits(int[] bits) {
        int dirs = bits[DIRS_ALL.ordinal()] | (bits[DIRS_DIRECT.ordinal()] & bits[DIRS_DEEP.ordinal()]);
        return bits[FILES_DIRECT.ordinal()] & bits[FILES_DEEP.ordinal()] & dirs;
    }
}
