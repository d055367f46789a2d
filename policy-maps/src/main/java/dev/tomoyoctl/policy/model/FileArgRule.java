package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.NumberUnion;
import dev.tomoyoctl.policy.TomoyoName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A typed view of {@code file OPS PATH ARG... [CONDITION]} for the operations of
 * {@link FileArgOp}: {@code file create /tmp/x 0644}, {@code file mkchar /dev/x 0644 1 3},
 * {@code file rename /a /b}. The policy model keeps these lines as {@link OtherAcl} (printed back
 * as written; the patternizer substitutes names in them as text); the compiler and learning use
 * this view. TOMOYO merges rules with equal (family, name, arguments, condition) by OR-ing the
 * operations, printed joined by '/' in keyword order ({@link #mergeKey()}, {@link #withOps}).
 *
 * <p>Kernel object ({@link #object}): the first name's raw bytes, a NUL, then the argument as
 * the kernel prints it (TOMOYO's tomoyo_print_ulong radix per operation; mkdev "MODE MAJOR
 * MINOR"; the second name's raw bytes); see tomoyo_abi.h TMY_PERM_CREATE.
 *
 * @param ops       {@link FileArgOp} bits, all of one family, never 0
 * @param path      the first name: a TOMOYO word or @GROUP
 * @param args      the argument words (1, or 3 for mkblock/mkchar): numbers, number unions
 *                  ("0600-0644"), @GROUP, or a second name
 * @param condition "" if none
 */
public record FileArgRule(int ops, String path, List<String> args, String condition) {
    public FileArgRule {
        args = List.copyOf(args);
        condition = condition == null ? "" : condition;
        FileArgOp.Family f = null;
        if (ops == 0 || (ops & ~((1 << FileArgOp.values().length) - 1)) != 0) {
            throw new IllegalArgumentException("invalid file operation mask " + ops);
        }
        for (FileArgOp op : FileArgOp.values()) {
            if ((ops & op.bit()) != 0) {
                if (f != null && f != op.family()) {
                    throw new IllegalArgumentException("'" + FileArgOp.keywords(ops) + "' mixes operations that take "
                            + "different arguments");
                }
                f = op.family();
            }
        }
        if (args.size() != f.words()) {
            throw new IllegalArgumentException("file " + FileArgOp.keywords(ops) + " takes " + (f.words() + 1)
                    + " words after the operation, got " + (args.size() + 1));
        }
        checkName(path, "path");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (f == FileArgOp.Family.PATH2) {
                checkName(a, "second path");
            } else if (a.startsWith("@")) {
                if (a.length() < 2 || !TomoyoName.isCorrectWord(a.substring(1))) {
                    throw new IllegalArgumentException("invalid number_group reference '" + a + "'");
                }
            } else {
                try {
                    NumberUnion.parse(a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException((f == FileArgOp.Family.MKDEV
                            ? new String[] {"mode", "major", "minor"}[i] : "number") + ": " + e.getMessage());
                }
            }
        }
    }

    private static void checkName(String w, String what) {
        if (w.startsWith("@") ? w.length() < 2 || !TomoyoName.isCorrectWord(w.substring(1))
                : !TomoyoName.isCorrectWord(w)) {
            throw new IllegalArgumentException("invalid " + what + " '" + w + "' (TOMOYO-encoded name, pattern or "
                    + "@path_group expected)");
        }
    }

    /**
     * The view of a normalized line "file OPS PATH ARG... [CONDITION]", or null if its operations
     * are not {@link FileArgOp}s (single-path operations, mount, other directives).
     *
     * @throws IllegalArgumentException naming the bad word if it is such a line but malformed
     */
    public static FileArgRule parse(String line) {
        String[] t = line.split(" ");
        if (t.length < 2 || !t[0].equals("file")) {
            return null;
        }
        int ops = 0;
        for (String k : t[1].split("/", -1)) {
            FileArgOp op = FileArgOp.byKeyword(k);
            if (op == null) {
                return ops == 0 ? null : fail("unknown or mixed file operation '" + k + "' in '" + t[1] + "'");
            }
            ops |= op.bit();
        }
        int words = 0;
        for (FileArgOp op : FileArgOp.values()) {
            if ((ops & op.bit()) != 0) {
                words = op.family().words();
            }
        }
        if (t.length < 3 + words) {
            return fail("'file " + t[1] + "' needs a path and " + words + " more word" + (words > 1 ? "s" : ""));
        }
        String condition = String.join(" ", Arrays.copyOfRange(t, 3 + words, t.length));
        return new FileArgRule(ops, t[2], Arrays.asList(Arrays.copyOfRange(t, 3, 3 + words)), condition);
    }

    private static FileArgRule fail(String why) {
        throw new IllegalArgumentException(why);
    }

    /** The view of a kept line, or null if it is not one of these rules. */
    public static FileArgRule of(OtherAcl o) {
        try {
            return parse(o.text());
        } catch (IllegalArgumentException e) {
            return null; // the parser rejected such lines already; a hand-made OtherAcl is not ours
        }
    }

    public FileArgOp.Family family() {
        for (FileArgOp op : FileArgOp.values()) {
            if ((ops & op.bit()) != 0) {
                return op.family();
            }
        }
        throw new IllegalStateException();
    }

    public String text() {
        return "file " + FileArgOp.keywords(ops) + " " + path + " " + String.join(" ", args)
                + (condition.isEmpty() ? "" : " " + condition);
    }

    /** The line as the policy model keeps it. */
    public OtherAcl toAcl() {
        return new OtherAcl("file " + FileArgOp.keywords(ops), text());
    }

    /** Rules with equal keys merge into one line (tomoyo_same_path_number_acl and friends). */
    public String mergeKey() {
        return family() + "\0" + path + "\0" + String.join(" ", args) + "\0" + condition;
    }

    public FileArgRule withOps(int more) {
        return new FileArgRule(ops | more, path, args, condition);
    }

    /**
     * The kernel object "NAME1\0ARG" for operation op, or null with the reason in why[0] when
     * the kernel cannot be given it (groups, patterns, numeric ranges: not compiled yet).
     */
    public byte[] object(FileArgOp op, String[] why) {
        if (isGroupOrPattern(path)) {
            why[0] = (path.startsWith("@") ? "path_group reference " : "pattern ") + path;
            return null;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TomoyoName.decode(path));
        b.write(0);
        if (op.family() == FileArgOp.Family.PATH2) {
            String p2 = args.get(0);
            if (isGroupOrPattern(p2)) {
                why[0] = (p2.startsWith("@") ? "path_group reference " : "pattern ") + p2;
                return null;
            }
            b.writeBytes(TomoyoName.decode(p2));
            return b.toByteArray();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("@")) {
                why[0] = "number_group reference " + a;
                return null;
            }
            long[] r = NumberUnion.parse(a);
            if (r[0] != r[1]) {
                why[0] = "numeric range " + a;
                return null;
            }
            sb.append(i > 0 ? " " : "").append(i == 0 ? op.radix().print(r[0]) : Long.toUnsignedString(r[0]));
        }
        b.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static boolean isGroupOrPattern(String w) {
        return w.startsWith("@") || TomoyoName.isPatterned(w);
    }

    /**
     * The rule learning records for a kernel event: operation perm (one TMY_PERM_* bit of
     * TMY_PERM_ARG_MASK) on object "NAME1\0ARG".
     *
     * @throws IllegalArgumentException if the perm or the object is not such
     */
    public static FileArgRule fromEvent(int perm, byte[] object) {
        FileArgOp op = FileArgOp.byTmyPerm(perm);
        if (op == null) {
            throw new IllegalArgumentException("perm 0x" + Integer.toHexString(perm) + " is not a file operation "
                    + "with an argument");
        }
        int nul = -1;
        for (int i = 0; i < object.length; i++) {
            if (object[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul <= 0) {
            throw new IllegalArgumentException("file " + op.keyword() + " event without NAME\\0ARG object");
        }
        String name = TomoyoName.encode(object, 0, nul);
        List<String> args;
        if (op.family() == FileArgOp.Family.PATH2) {
            args = List.of(TomoyoName.encode(object, nul + 1, object.length - nul - 1));
        } else {
            args = List.of(new String(object, nul + 1, object.length - nul - 1, StandardCharsets.US_ASCII).split(" "));
        }
        return new FileArgRule(op.bit(), name, args, "");
    }

    /** "NAME ARG..." of an event's object, for audit records ("file create" + this). */
    public static String objectText(FileArgOp op, byte[] object) {
        try {
            FileArgRule r = fromEvent(op.tmyPerm(), object);
            return r.path() + " " + String.join(" ", r.args());
        } catch (IllegalArgumentException e) {
            return TomoyoName.encode(object); // an unresolved name: no argument part
        }
    }
}
