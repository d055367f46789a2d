package dev.tomoyoctl.policy;

/**
 * The learned conditions on names of issue 6 (tomoyo_abi.h "learned conditions on names"):
 * {@code exec.realpath="R" exec.argv[0]="A"} on "file execute" and {@code symlink.target="T"}
 * on "file symlink", their text as TOMOYO prints it and their exact key in tmy_path_rules.
 *
 * <p>Values are printed as TOMOYO prints names (tomoyo_encode: bytes &lt;= 0x20 and &gt;= 0x7f as
 * \ooo, '\' as \\) between double quotes; a '"' in a value is kept as it is (TOMOYO does the
 * same), so a value is everything between the word's first and last quote.
 */
public final class NameConditions {
    private NameConditions() {}

    public static final String EXEC_REALPATH = "exec.realpath";
    public static final String EXEC_ARGV0 = "exec.argv[0]";
    public static final String SYMLINK_TARGET = "symlink.target";

    /** {@code exec.realpath="R"}, or with {@code argv0 != null} {@code exec.realpath="R" exec.argv[0]="A"}. */
    public static String execCondition(byte[] realpath, byte[] argv0) {
        String c = EXEC_REALPATH + "=\"" + TomoyoName.encode(realpath) + "\"";
        return argv0 == null ? c : c + " " + EXEC_ARGV0 + "=\"" + TomoyoName.encode(argv0) + "\"";
    }

    /** {@code symlink.target="T"}. */
    public static String symlinkCondition(byte[] target) {
        return SYMLINK_TARGET + "=\"" + TomoyoName.encode(target) + "\"";
    }

    /**
     * The exact key of a learned form: {@code object} folded (the domain id fold, {@link
     * PathHash#updateLong}) with the path hash of each value in order: (R) or (R, A) for
     * execute, (T) for symlink.
     *
     * @param object path hash of the rule's name (for execute: of the aggregated name, if any)
     */
    public static long key(long object, byte[]... values) {
        long h = object;
        for (byte[] v : values) {
            h = PathHash.updateLong(h, PathHash.ofRaw(v));
        }
        return h;
    }

    /** The same, with TOMOYO-encoded values (strictly decoded: no pattern tokens). */
    public static long keyOfEncoded(long object, String... encodedValues) {
        long h = object;
        for (String v : encodedValues) {
            h = PathHash.updateLong(h, PathHash.of(v));
        }
        return h;
    }

    /**
     * The value of a {@code LEFT="VALUE"} word: what lies between the first and the last
     * quote, or null if the right side is not quoted.
     */
    public static String quotedValue(String right) {
        if (right.length() < 2 || right.charAt(0) != '"' || right.charAt(right.length() - 1) != '"') {
            return null;
        }
        return right.substring(1, right.length() - 1);
    }
}
