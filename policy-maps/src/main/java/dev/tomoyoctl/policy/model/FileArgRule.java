package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.NumberUnion;
import dev.tomoyoctl.policy.TomoyoName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 * MINOR"; the second name's raw bytes); see tomoyo_abi.h TMY_PERM_CREATE. A mount rule
 * ({@code file mount DEV DIR TYPE FLAGS}: path = DEV, args = DIR TYPE FLAGS) is judged on
 * "DIR\0TYPE\0FLAGS\0DEV", without "\0DEV" where TOMOYO ignores the device ({@link MountTypes}).
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
            if (f == FileArgOp.Family.PATH2 || (f == FileArgOp.Family.MOUNT && i < 2)) {
                checkName(a, f == FileArgOp.Family.PATH2 ? "second path" : i == 0 ? "mount point" : "filesystem type");
            } else if (a.startsWith("@")) {
                if (a.length() < 2 || !TomoyoName.isCorrectWord(a.substring(1))) {
                    throw new IllegalArgumentException("invalid number_group reference '" + a + "'");
                }
            } else {
                try {
                    NumberUnion.parse(a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException((f == FileArgOp.Family.MKDEV
                            ? new String[] {"mode", "major", "minor"}[i] : f == FileArgOp.Family.MOUNT ? "flags"
                            : "number") + ": " + e.getMessage());
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
     * are not {@link FileArgOp}s (single-path operations, other directives).
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
     * The one kernel object "NAME1\0ARG" (for mount "DIR\0TYPE\0FLAGS[\0DEV]") for operation op, or null with the reason in why[0]
     * when the rule stands for none or several (groups, patterns, numeric ranges: see
     * {@link #objects}).
     */
    public byte[] object(FileArgOp op, String[] why) {
        List<byte[]> all = objects(op, Map.of(), g -> null, why);
        if (all != null && all.size() != 1) {
            why[0] = "a rule for " + all.size() + " objects";
            return null;
        }
        return all == null ? null : all.get(0);
    }

    /** At most this many exact objects are made from one rule's groups and ranges. */
    public static final int MAX_OBJECTS = 1024;

    /**
     * The kernel objects "NAME1\0ARG" for operation op, with path_group references (of exact
     * names), number_group references and numeric ranges expanded into every exact object they
     * stand for (TOMOYO compares numbers by value, so each value is printed as the kernel prints
     * it: op's radix for the first number, decimal for mkdev's others); at most {@link
     * #MAX_OBJECTS}. Null, with the reason in why[0], for a pattern, a group with a pattern or
     * an unknown group, or more objects than that.
     *
     * @param pathGroups   path_group name -> members as written
     * @param numberGroups number_group name -> ranges [lo, hi], or null if not defined
     */
    public List<byte[]> objects(FileArgOp op, Map<String, List<String>> pathGroups,
                                java.util.function.Function<String, List<long[]>> numberGroups, String[] why) {
        if (op.family() == FileArgOp.Family.MOUNT) {
            return mountObjects(pathGroups, numberGroups, why);
        }
        List<byte[]> names1 = names(path, pathGroups, why);
        if (names1 == null) {
            return null;
        }
        List<byte[]> tails = new ArrayList<>();
        if (op.family() == FileArgOp.Family.PATH2) {
            tails = names(args.get(0), pathGroups, why);
            if (tails == null) {
                return null;
            }
        } else {
            List<String> texts = List.of("");
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                List<long[]> ranges;
                if (a.startsWith("@")) {
                    ranges = numberGroups.apply(a.substring(1));
                    if (ranges == null) {
                        why[0] = "number_group " + a.substring(1) + " is not defined";
                        return null;
                    }
                } else {
                    ranges = List.of(NumberUnion.parse(a));
                }
                long count = 0;
                for (long[] r : ranges) {
                    count += r[1] - r[0] + 1;
                }
                if (count <= 0 || count > MAX_OBJECTS || count * texts.size() * names1.size() > MAX_OBJECTS) {
                    why[0] = a + " stands for more than " + MAX_OBJECTS + " exact objects with the rest of the rule "
                            + "(the kernel compares exact values)";
                    return null;
                }
                List<String> next = new ArrayList<>();
                for (String t : texts) {
                    for (long[] r : ranges) {
                        for (long v = r[0]; v <= r[1]; v++) {
                            next.add(t + (i > 0 ? " " : "") + (i == 0 ? op.radix().print(v) : Long.toUnsignedString(v)));
                        }
                    }
                }
                texts = next;
            }
            for (String t : texts) {
                tails.add(t.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if ((long) names1.size() * tails.size() > MAX_OBJECTS) {
            why[0] = "the groups stand for more than " + MAX_OBJECTS + " exact objects";
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] n : names1) {
            for (byte[] t : tails) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(n);
                b.write(0);
                b.writeBytes(t);
                out.add(b.toByteArray());
            }
        }
        return out;
    }

    /**
     * A mount rule's objects "DIR\0TYPE\0FLAGS\0DEV", or "DIR\0TYPE\0FLAGS" for a TYPE whose
     * device TOMOYO ignores ({@link MountTypes}); the same limits and reasons as {@link #objects}.
     */
    private List<byte[]> mountObjects(Map<String, List<String>> pathGroups,
                                      java.util.function.Function<String, List<long[]>> numberGroups, String[] why) {
        List<byte[]> devs = names(path, pathGroups, why);
        List<byte[]> dirs = devs == null ? null : names(args.get(0), pathGroups, why);
        List<String> types = dirs == null ? null : words(args.get(1), pathGroups, why);
        if (types == null) {
            return null;
        }
        String f = args.get(2);
        List<long[]> ranges = f.startsWith("@") ? numberGroups.apply(f.substring(1)) : List.of(NumberUnion.parse(f));
        if (ranges == null) {
            why[0] = "number_group " + f.substring(1) + " is not defined";
            return null;
        }
        long count = 0;
        for (long[] r : ranges) {
            count += r[1] - r[0] + 1;
            if (count <= 0 || count > MAX_OBJECTS) {
                break;
            }
        }
        if (count <= 0 || count * dirs.size() * types.size() * devs.size() > MAX_OBJECTS) {
            why[0] = "the rule stands for more than " + MAX_OBJECTS + " exact objects (the kernel compares exact values)";
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] dir : dirs) {
            for (String type : types) {
                for (long[] r : ranges) {
                    for (long v = r[0]; v <= r[1]; v++) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        b.writeBytes(dir);
                        b.write(0);
                        b.writeBytes(TomoyoName.decode(type));
                        b.write(0);
                        b.writeBytes(FileArgOp.Radix.HEX.print(v).getBytes(StandardCharsets.US_ASCII));
                        if (MountTypes.ignoresDevice(type)) {
                            out.add(b.toByteArray());
                            continue;
                        }
                        for (byte[] dev : devs) {
                            ByteArrayOutputStream d = new ByteArrayOutputStream();
                            d.writeBytes(b.toByteArray());
                            d.write(0);
                            d.writeBytes(dev);
                            out.add(d.toByteArray());
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The exact words (as written) a word stands for: itself or its group's members; null if patterned. */
    private static List<String> words(String w, Map<String, List<String>> pathGroups, String[] why) {
        List<String> all = w.startsWith("@") ? pathGroups.get(w.substring(1)) : List.of(w);
        if (all == null) {
            why[0] = "path_group " + w.substring(1) + " is not defined";
            return null;
        }
        for (String m : all) {
            if (TomoyoName.isPatterned(m)) {
                why[0] = "pattern " + m;
                return null;
            }
        }
        return all;
    }

    /** The decoded names a word stands for: itself, or an @path_group's members; null if not exact. */
    private static List<byte[]> names(String w, Map<String, List<String>> pathGroups, String[] why) {
        if (w.startsWith("@")) {
            List<String> members = pathGroups.get(w.substring(1));
            if (members == null) {
                why[0] = "path_group " + w.substring(1) + " is not defined";
                return null;
            }
            List<byte[]> out = new ArrayList<>();
            for (String m : members) {
                if (TomoyoName.isPatterned(m)) {
                    why[0] = "path_group " + w.substring(1) + " has a pattern (" + m + ")";
                    return null;
                }
                out.add(TomoyoName.decode(m));
            }
            return out;
        }
        if (TomoyoName.isPatterned(w)) {
            why[0] = "pattern " + w;
            return null;
        }
        return List.of(TomoyoName.decode(w));
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
        if (op.family() == FileArgOp.Family.MOUNT) {
            return mountFromEvent(object, nul);
        }
        if (op.family() == FileArgOp.Family.PATH2) {
            args = List.of(TomoyoName.encode(object, nul + 1, object.length - nul - 1));
        } else {
            args = List.of(new String(object, nul + 1, object.length - nul - 1, StandardCharsets.US_ASCII).split(" "));
        }
        return new FileArgRule(op.bit(), name, args, "");
    }

    /**
     * "file mount DEV DIR TYPE FLAGS" from the object "DIR\0TYPE\0FLAGS\0DEV". The kernel gives
     * a --bind or --move source as the caller named it; TOMOYO names a directory with a '/', so a
     * source that is a directory here gets one.
     */
    private static FileArgRule mountFromEvent(byte[] object, int nul) {
        int[] at = new int[3];
        at[0] = nul;
        for (int k = 1, i = nul + 1; k < 3 && i < object.length; i++) {
            if (object[i] == 0) {
                at[k++] = i;
            }
        }
        if (at[2] == 0) {
            throw new IllegalArgumentException("file mount event without DIR\\0TYPE\\0FLAGS\\0DEV object");
        }
        String dir = TomoyoName.encode(object, 0, at[0]);
        String type = TomoyoName.encode(object, at[0] + 1, at[1] - at[0] - 1);
        String flags = new String(object, at[1] + 1, at[2] - at[1] - 1, StandardCharsets.US_ASCII);
        byte[] dev = Arrays.copyOfRange(object, at[2] + 1, object.length);
        if (MountTypes.deviceIsSource(type) && dev.length > 0 && dev[dev.length - 1] != '/' && dev[0] == '/') {
            try {
                if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(new String(dev, StandardCharsets.ISO_8859_1)))) {
                    dev = Arrays.copyOf(dev, dev.length + 1);
                    dev[dev.length - 1] = '/';
                }
            } catch (RuntimeException e) {
                // not a usable path here: as given
            }
        }
        return new FileArgRule(FileArgOp.MOUNT.bit(), TomoyoName.encode(dev), List.of(dir, type, flags), "");
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
