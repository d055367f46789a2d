package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.model.AclGroupRule;
import dev.tomoyoctl.policy.model.Aggregator;
import dev.tomoyoctl.policy.model.BlankLine;
import dev.tomoyoctl.policy.model.CommentLine;
import dev.tomoyoctl.policy.model.ConfigValue;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainFlag;
import dev.tomoyoctl.policy.model.DomainFlagLine;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.FileArgRule;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.GroupKind;
import dev.tomoyoctl.policy.model.GroupMember;
import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.NetOp;
import dev.tomoyoctl.policy.model.NetProtocol;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.OtherAcl;
import dev.tomoyoctl.policy.model.SignalRule;
import dev.tomoyoctl.policy.model.OtherProfileLine;
import dev.tomoyoctl.policy.model.ProfileComment;
import dev.tomoyoctl.policy.model.ProfileConfig;
import dev.tomoyoctl.policy.model.ProfileLine;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import dev.tomoyoctl.policy.model.ProfilePreference;
import dev.tomoyoctl.policy.model.ProfileVersion;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;
import dev.tomoyoctl.policy.model.UseGroup;
import dev.tomoyoctl.policy.model.UseProfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser for TOMOYO 2.6's domain_policy.conf, exception_policy.conf and profile.conf.
 *
 * <p>Lines are normalized the way TOMOYO's tomoyo_normalize_line() does (leading and trailing
 * whitespace dropped, runs of whitespace made one space); a line starting with '#' is a comment
 * kept verbatim. Parsing is all-or-nothing: every error of a file is collected with its line
 * number and reason, and if there is any, a {@link PolicyParseException} is thrown and nothing is
 * returned. The syntax accepted is TOMOYO's, a bit stricter where TOMOYO is lenient by accident
 * (TOMOYO takes "file reading /x" as "file read /x" because it looks for keywords with strstr;
 * this parser names the unknown keyword instead).
 *
 * <p>Directives TOMOYO knows but the kernel side does not enforce yet are kept in the model and
 * printed back in place; the compiler reports them as "not enforced".
 */
public final class PolicyParser {
    private PolicyParser() {}

    /** Single-path operations: {@link FileOp}. The other file operation families of TOMOYO 2.6: */
    static final Set<String> PATH2_OPS = Set.of("link", "rename", "pivot_root");
    static final Set<String> PATH_NUMBER_OPS = Set.of("create", "mkdir", "mkfifo", "mksock", "ioctl", "chmod",
            "chown", "chgrp");
    static final Set<String> MKDEV_OPS = Set.of("mkblock", "mkchar");
    static final Set<String> MOUNT_OPS = Set.of("mount");

    // ------------------------------------------------------------------------------------------
    // domain_policy.conf

    public static DomainPolicy parseDomainPolicy(String file, String text) throws PolicyParseException {
        List<PolicyError> errors = new ArrayList<>();
        DomainPolicy p = parseDomainPolicy(file, text, errors);
        if (!errors.isEmpty()) {
            throw new PolicyParseException(errors);
        }
        return p;
    }

    static DomainPolicy parseDomainPolicy(String file, String text, List<PolicyError> errors) {
        List<DomainLine> preamble = new ArrayList<>();
        List<Domain> domains = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String name = null;
        int nameLine = 0;
        List<DomainLine> body = null;
        int lineNo = 0;
        for (String raw : lines(text)) {
            lineNo++;
            Line l = normalize(file, lineNo, raw, errors);
            if (l == null) {
                continue;
            }
            if (l.blank) {
                (body == null ? preamble : body).add(BlankLine.INSTANCE);
                continue;
            }
            if (l.comment) {
                (body == null ? preamble : body).add(new CommentLine(l.text));
                continue;
            }
            String s = l.text;
            if (s.startsWith("<")) {
                if (name != null) {
                    addDomain(file, name, nameLine, body, domains, errors);
                }
                name = s;
                nameLine = lineNo;
                body = new ArrayList<>();
                if (!TomoyoName.isCorrectDomain(s)) {
                    errors.add(new PolicyError(file, lineNo, "invalid domain name '" + abbreviate(s)
                            + "' (\"<namespace>\" then absolute program paths, TOMOYO-encoded, separated by one space)"));
                    name = null;
                } else if (s.length() >= TomoyoName.MAX_DOMAIN_NAME_LENGTH) {
                    errors.add(new PolicyError(file, lineNo, "domain name of " + s.length() + " bytes: TOMOYO cannot "
                            + "create domains of " + TomoyoName.MAX_DOMAIN_NAME_LENGTH + " bytes or more"));
                    name = null;
                } else {
                    Integer prev = seen.putIfAbsent(s, lineNo);
                    if (prev != null) {
                        errors.add(new PolicyError(file, lineNo, "domain already defined at line " + prev));
                        name = null;
                    }
                }
                continue;
            }
            if (body == null) {
                errors.add(new PolicyError(file, lineNo, "'" + abbreviate(s) + "' before the first domain name line"));
                continue;
            }
            DomainLine dl = parseDomainLine(file, lineNo, s, errors);
            if (dl != null) {
                body.add(dl);
            }
        }
        if (name != null) {
            addDomain(file, name, nameLine, body, domains, errors);
        }
        return errors.isEmpty() ? new DomainPolicy(preamble, domains) : null;
    }

    private static void addDomain(String file, String name, int line, List<DomainLine> body, List<Domain> out,
                                  List<PolicyError> errors) {
        try {
            out.add(new Domain(name, body));
        } catch (IllegalArgumentException e) {
            errors.add(new PolicyError(file, line, e.getMessage()));
        }
    }

    private static DomainLine parseDomainLine(String file, int lineNo, String s, List<PolicyError> errors) {
        String[] t = s.split(" ");
        switch (t[0]) {
            case "use_profile":
            case "use_group": {
                Integer n = t.length == 2 ? parseSmall(t[1]) : null;
                if (n == null || n > 255) {
                    errors.add(new PolicyError(file, lineNo, t[0] + " needs one number in 0..255"));
                    return null;
                }
                return t[0].equals("use_profile") ? new UseProfile(n)
                        : new UseGroup(n);
            }
            case "select":
            case "delete":
                errors.add(new PolicyError(file, lineNo, "'" + t[0] + "' is a command of TOMOYO's kernel interface, "
                        + "not a policy line"));
                return null;
            default:
                break;
        }
        DomainFlag flag = DomainFlag.byKeyword(s);
        if (flag != null) {
            return new DomainFlagLine(flag);
        }
        return parseAcl(file, lineNo, s, errors);
    }

    /** An ACL line: in a domain, or after "acl_group N " in exception policy. */
    static DomainLine parseAcl(String file, int lineNo, String s, List<PolicyError> errors) {
        String[] t = s.split(" ");
        if (t[0].equals("file")) {
            return parseFileAcl(file, lineNo, s, t, errors);
        }
        if (t[0].equals("network") && t.length >= 2 && (t[1].equals("inet") || t[1].equals("unix"))) {
            return parseNetworkAcl(file, lineNo, t, errors);
        }
        if (t[0].equals("capability")) {
            return parseCapabilityAcl(file, lineNo, t, errors);
        }
        if (t[0].equals("ipc") && t.length >= 2 && t[1].equals("signal")) {
            return parseSignalAcl(file, lineNo, t, errors);
        }
        // TOMOYO 2.6: misc env, task manual_domain_transition; TOMOYO 1.8 has more ipc and task
        // directives. Kept, not enforced.
        String keyword = null;
        if (t.length >= 3 && t[0].equals("misc") && t[1].equals("env")) {
            keyword = "misc env";
        } else if (t.length >= 3 && t[0].equals("task")) {
            keyword = "task " + t[1];
        } else if (t.length >= 3 && t[0].equals("ipc")) {
            keyword = "ipc " + t[1];
        }
        if (keyword == null) {
            errors.add(new PolicyError(file, lineNo, "unknown directive '" + abbreviate(s) + "'"));
            return null;
        }
        return new OtherAcl(keyword, s);
    }

    /** The words t[from..] joined by one space ("" if none). */
    private static String rest(String[] t, int from) {
        return from >= t.length ? "" : String.join(" ", java.util.Arrays.copyOfRange(t, from, t.length));
    }

    /**
     * {@code network inet PROTO OPS ADDRESS PORT [COND]} / {@code network unix PROTO OPS ADDRESS
     * [COND]} (tomoyo_write_inet_network / tomoyo_write_unix_network). An inet address is stored
     * as TOMOYO prints it (so "::0001" becomes "::1"; a range "A-A" becomes "A").
     */
    private static DomainLine parseNetworkAcl(String file, int lineNo, String[] t, List<PolicyError> errors) {
        String family = t[1];
        boolean inet = family.equals(NetworkRule.INET);
        int need = inet ? 6 : 5;
        if (t.length < need) {
            errors.add(new PolicyError(file, lineNo, "network " + family + " needs " + (inet
                    ? "PROTOCOL OPERATIONS ADDRESS PORT" : "PROTOCOL OPERATIONS ADDRESS")));
            return null;
        }
        NetProtocol protocol = NetProtocol.byKeyword(t[2]);
        if (protocol == null || !protocol.validFor(family)) {
            errors.add(new PolicyError(file, lineNo, "unknown network " + family + " protocol '" + abbreviate(t[2])
                    + "' (" + (inet ? "stream, dgram, raw" : "stream, dgram, seqpacket") + ")"));
            return null;
        }
        int ops = 0;
        for (String op : t[3].split("/", -1)) {
            NetOp o = NetOp.byKeyword(op);
            if (o == null) {
                errors.add(new PolicyError(file, lineNo, "unknown network operation '" + abbreviate(op)
                        + "' (bind, listen, connect, send)"));
                return null;
            }
            ops |= o.bit();
        }
        String address = t[4];
        if (address.startsWith("@")) {
            if (address.length() < 2 || !TomoyoName.isCorrectWord(address.substring(1))) {
                errors.add(new PolicyError(file, lineNo, "bad " + (inet ? "address_group" : "path_group")
                        + " name '" + abbreviate(address) + "'"));
                return null;
            }
        } else if (inet) {
            try {
                address = InetAddresses.parseRange(address).text();
            } catch (IllegalArgumentException e) {
                errors.add(new PolicyError(file, lineNo, "address: " + e.getMessage()));
                return null;
            }
        } else if (!NetworkRule.isUnixAddress(address)) {
            errors.add(new PolicyError(file, lineNo, "bad unix address '" + abbreviate(address)
                    + "' (a TOMOYO-encoded name, \\000... for an abstract one, anonymous, or @path_group)"));
            return null;
        }
        String port = "";
        if (inet) {
            port = t[5];
            if (port.startsWith("@")) {
                if (port.length() < 2 || !TomoyoName.isCorrectWord(port.substring(1))) {
                    errors.add(new PolicyError(file, lineNo, "bad number_group name '" + abbreviate(port) + "'"));
                    return null;
                }
            } else {
                try {
                    NumberUnion.parsePort(port);
                } catch (IllegalArgumentException e) {
                    errors.add(new PolicyError(file, lineNo, "port: " + e.getMessage()));
                    return null;
                }
            }
        }
        String condition = rest(t, need);
        if (!condition.isEmpty()) {
            String bad = checkCondition(condition, false);
            if (bad != null) {
                errors.add(new PolicyError(file, lineNo, bad));
                return null;
            }
        }
        return new NetworkRule(family, protocol, ops, address, port, condition);
    }

    /** {@code capability NAME [COND]} (TOMOYO 1.8, Linux capability names). */
    private static DomainLine parseCapabilityAcl(String file, int lineNo, String[] t, List<PolicyError> errors) {
        if (t.length < 2) {
            errors.add(new PolicyError(file, lineNo, "capability needs a capability name (net_bind_service, ...)"));
            return null;
        }
        if (CapabilityRule.capabilityNumber(t[1]) < 0) {
            errors.add(new PolicyError(file, lineNo, "unknown capability '" + abbreviate(t[1])
                    + "' (a Linux capability name in lower case without cap_, e.g. net_bind_service)"));
            return null;
        }
        String condition = rest(t, 2);
        if (!condition.isEmpty()) {
            String bad = checkCondition(condition, false);
            if (bad != null) {
                errors.add(new PolicyError(file, lineNo, bad));
                return null;
            }
        }
        return new CapabilityRule(t[1], condition);
    }

    /** {@code ipc signal SIG DOMAIN [COND]} (TOMOYO 1.8). */
    private static DomainLine parseSignalAcl(String file, int lineNo, String[] t, List<PolicyError> errors) {
        if (t.length < 4) {
            errors.add(new PolicyError(file, lineNo, "ipc signal needs a signal number and a target domain"));
            return null;
        }
        Integer sig = t[2].matches("[0-9]{1,3}") ? Integer.parseInt(t[2]) : null;
        if (sig == null || sig < 1 || sig > SignalRule.MAX_SIGNAL) {
            errors.add(new PolicyError(file, lineNo, "signal '" + abbreviate(t[2]) + "' is not a number in 1.."
                    + SignalRule.MAX_SIGNAL));
            return null;
        }
        int i = 4;
        while (i < t.length && t[i].startsWith("/")) {
            i++;
        }
        String domain = String.join(" ", java.util.Arrays.copyOfRange(t, 3, i));
        if (!TomoyoName.isCorrectDomain(domain)) {
            errors.add(new PolicyError(file, lineNo, "bad domain name '" + abbreviate(domain)
                    + "' (\"<kernel>\" then absolute program paths, TOMOYO-encoded)"));
            return null;
        }
        String condition = rest(t, i);
        if (!condition.isEmpty()) {
            String bad = checkCondition(condition, false);
            if (bad != null) {
                errors.add(new PolicyError(file, lineNo, bad));
                return null;
            }
        }
        return new SignalRule(sig, domain, condition);
    }

    private static DomainLine parseFileAcl(String file, int lineNo, String s, String[] t, List<PolicyError> errors) {
        if (t.length < 3) {
            errors.add(new PolicyError(file, lineNo, "'file' needs operations and a path"));
            return null;
        }
        int ops = 0;
        String family = null;
        for (String op : t[1].split("/", -1)) {
            String f;
            FileOp fo = FileOp.byKeyword(op);
            if (fo != null) {
                ops |= fo.bit();
                f = "path";
            } else if (PATH2_OPS.contains(op)) {
                f = "path2";
            } else if (PATH_NUMBER_OPS.contains(op)) {
                f = "path_number";
            } else if (MKDEV_OPS.contains(op)) {
                f = "mkdev";
            } else if (MOUNT_OPS.contains(op)) {
                f = "mount";
            } else {
                errors.add(new PolicyError(file, lineNo, "unknown file operation '" + op + "'"));
                return null;
            }
            if (family != null && !family.equals(f)) {
                // TOMOYO would silently keep one family and drop the others.
                errors.add(new PolicyError(file, lineNo, "'" + t[1] + "' mixes operations that take different "
                        + "arguments; write one line per kind"));
                return null;
            }
            family = f;
        }
        if (!checkName(t[2])) {
            errors.add(new PolicyError(file, lineNo, "invalid path '" + abbreviate(t[2]) + "' (TOMOYO-encoded name, "
                    + "pattern or @path_group expected)"));
            return null;
        }
        if (!family.equals("path")) {
            // create/mkdir/.../ioctl, mkblock/mkchar, link/rename/pivot_root, mount: kept as
            // written (OtherAcl), enforced through the FileArgRule view; check its arguments here
            try {
                FileArgRule r = FileArgRule.parse(s);
                if (!r.condition().isEmpty()) {
                    String bad = checkCondition(r.condition(), false);
                    if (bad != null) {
                        errors.add(new PolicyError(file, lineNo, bad));
                        return null;
                    }
                }
            } catch (IllegalArgumentException e) {
                errors.add(new PolicyError(file, lineNo, e.getMessage()));
                return null;
            }
            return new OtherAcl("file " + t[1], s);
        }
        // The line is normalized: "file OPS PATH CONDITION..." with single spaces.
        String condition = t.length > 3 ? s.substring(5 + t[1].length() + 1 + t[2].length() + 1) : "";
        if (!condition.isEmpty()) {
            String bad = checkCondition(condition, ops == FileOp.EXECUTE.bit());
            if (bad != null) {
                errors.add(new PolicyError(file, lineNo, bad));
                return null;
            }
        }
        return new FileRule(ops, t[2], condition);
    }

    /**
     * The shape of a condition (tomoyo_get_condition): an optional domain transition preference
     * (only on "file execute": a domain name, a path, or keep/initialize/reset/child/parent), then
     * LEFT=RIGHT or LEFT!=RIGHT words. The words themselves are kept as written (not enforced).
     */
    static String checkCondition(String condition, boolean executeOnly) {
        String[] t = condition.split(" ");
        int i = 0;
        if (t[0].startsWith("<")) {
            StringBuilder d = new StringBuilder(t[0]);
            i = 1;
            while (i < t.length && t[i].startsWith("/")) {
                d.append(' ').append(t[i++]);
            }
            if (!TomoyoName.isCorrectDomain(d.toString())) {
                return "invalid domain transition preference '" + abbreviate(d.toString()) + "'";
            }
        } else if (TomoyoName.isCorrectPath(t[0]) || Set.of("keep", "initialize", "reset", "child", "parent")
                .contains(t[0])) {
            i = 1;
        }
        if (i > 0 && !executeOnly) {
            return "a domain transition preference is allowed only on 'file execute'";
        }
        for (; i < t.length; i++) {
            int eq = t[i].indexOf('=');
            if (eq <= 0 || eq == t[i].length() - 1 || (eq == 1 && t[i].charAt(0) == '!')) {
                return "invalid condition '" + abbreviate(t[i]) + "' (LEFT=RIGHT or LEFT!=RIGHT expected)";
            }
        }
        return null;
    }

    private static boolean checkName(String w) {
        if (w.startsWith("@")) {
            return w.length() > 1 && TomoyoName.isCorrectWord(w.substring(1));
        }
        return TomoyoName.isCorrectWord(w);
    }

    // ------------------------------------------------------------------------------------------
    // exception_policy.conf

    public static ExceptionPolicy parseExceptionPolicy(String file, String text) throws PolicyParseException {
        List<PolicyError> errors = new ArrayList<>();
        ExceptionPolicy p = parseExceptionPolicy(file, text, errors);
        throwIfAny(errors);
        return p;
    }

    static ExceptionPolicy parseExceptionPolicy(String file, String text, List<PolicyError> errors) {
        List<ExceptionLine> out = parseNamespacedLines(file, text, errors, PolicyParser::parseExceptionLine);
        return errors.isEmpty() ? new ExceptionPolicy(out) : null;
    }

    /** Parses one "[<namespace>] rest" line of exception_policy.conf or profile.conf. */
    @FunctionalInterface
    private interface NamespacedLineParser<T> {
        T parse(String file, int lineNo, String ns, String rest, List<PolicyError> errors);
    }

    /**
     * The line loop shared by exception_policy.conf and profile.conf: blank and comment lines
     * are kept in place, each other line is split into namespace and rest and handed to
     * {@code parser}; errors are collected, never thrown, so one pass reports them all.
     */
    @SuppressWarnings("unchecked") // BlankLine and CommentLine implement every line interface
    private static <T> List<T> parseNamespacedLines(String file, String text, List<PolicyError> errors,
            NamespacedLineParser<? extends T> parser) {
        List<T> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines(text)) {
            lineNo++;
            Line l = normalize(file, lineNo, raw, errors);
            if (l == null) {
                continue;
            }
            if (l.blank) {
                out.add((T) BlankLine.INSTANCE);
                continue;
            }
            if (l.comment) {
                out.add((T) new CommentLine(l.text));
                continue;
            }
            String[] nsRest = splitNamespace(file, lineNo, l.text, errors);
            if (nsRest == null) {
                continue;
            }
            T parsed = parser.parse(file, lineNo, nsRest[0], nsRest[1], errors);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return out;
    }

    private static void throwIfAny(List<PolicyError> errors) throws PolicyParseException {
        if (!errors.isEmpty()) {
            throw new PolicyParseException(errors);
        }
    }

    private static ExceptionLine parseExceptionLine(String file, int lineNo, String ns, String s,
                                                    List<PolicyError> errors) {
        int sp = s.indexOf(' ');
        String keyword = sp < 0 ? s : s.substring(0, sp);
        String data = sp < 0 ? "" : s.substring(sp + 1);
        if (keyword.equals("aggregator")) {
            String[] t = data.split(" ");
            if (t.length != 2) {
                errors.add(new PolicyError(file, lineNo, "aggregator needs two names: ORIGINAL AGGREGATED"));
                return null;
            }
            if (!TomoyoName.isCorrectWord(t[0])) {
                errors.add(new PolicyError(file, lineNo, "invalid name '" + abbreviate(t[0]) + "'"));
                return null;
            }
            if (!TomoyoName.isCorrectPath(t[1]) || TomoyoName.isPatterned(t[1])) {
                errors.add(new PolicyError(file, lineNo, "the aggregated name must be an absolute path without "
                        + "patterns: '" + abbreviate(t[1]) + "'"));
                return null;
            }
            return new Aggregator(ns, t[0], t[1]);
        }
        TransitionType type = TransitionType.byKeyword(keyword);
        if (type != null) {
            return parseTransition(file, lineNo, ns, type, data, errors);
        }
        GroupKind kind = GroupKind.byKeyword(keyword);
        if (kind != null) {
            String[] t = data.split(" ");
            if (t.length != 2 || t[0].isEmpty()) {
                errors.add(new PolicyError(file, lineNo, keyword + " needs a group name and one member"));
                return null;
            }
            if (!TomoyoName.isCorrectWord(t[0])) {
                errors.add(new PolicyError(file, lineNo, "invalid group name '" + abbreviate(t[0]) + "'"));
                return null;
            }
            String bad = switch (kind) {
                case PATH -> TomoyoName.isCorrectWord(t[1]) ? null
                        : "invalid path or pattern: '" + abbreviate(t[1]) + "'";
                case NUMBER -> memberProblem(() -> NumberUnion.parse(t[1]));
                case ADDRESS -> memberProblem(() -> InetAddresses.parseRange(t[1]));
            };
            if (bad != null) {
                errors.add(new PolicyError(file, lineNo, keyword + " " + t[0] + " member: " + bad));
                return null;
            }
            return new GroupMember(ns, kind, t[0], t[1]);
        }
        if (keyword.equals("acl_group")) {
            int sp2 = data.indexOf(' ');
            Integer n = sp2 < 0 ? null : parseSmall(data.substring(0, sp2));
            if (n == null || n > 255) {
                errors.add(new PolicyError(file, lineNo, "acl_group needs a group number in 0..255 and a rule"));
                return null;
            }
            DomainLine rule = parseAcl(file, lineNo, data.substring(sp2 + 1), errors);
            return rule == null ? null : new AclGroupRule(ns, n, rule);
        }
        errors.add(new PolicyError(file, lineNo, "unknown exception policy directive '" + abbreviate(keyword) + "'"));
        return null;
    }

    private static String memberProblem(Runnable parse) {
        try {
            parse.run();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** tomoyo_write_transition_control(). */
    private static ExceptionLine parseTransition(String file, int lineNo, String ns, TransitionType type, String data,
                                                 List<PolicyError> errors) {
        if (data.isEmpty()) {
            errors.add(new PolicyError(file, lineNo, type.keyword() + " needs a "
                    + (type.isKeepFamily() ? "domain" : "program")));
            return null;
        }
        String program;
        String domain;
        int from = data.indexOf(" from ");
        boolean hasFrom = from >= 0;
        if (hasFrom) {
            program = data.substring(0, from);
            domain = data.substring(from + 6);
        } else if (type.isKeepFamily()) {
            program = null;
            domain = data;
        } else {
            program = data;
            domain = null;
        }
        if (program != null && program.equals("any")) {
            program = null;
        } else if (program != null && !TomoyoName.isCorrectPath(program)) {
            errors.add(new PolicyError(file, lineNo, "invalid program '" + abbreviate(program)
                    + "' (an absolute path or \"any\")"));
            return null;
        }
        if (domain != null && domain.equals("any")) {
            domain = null;
        } else if (domain != null && !TomoyoName.isCorrectDomain(domain) && !TomoyoName.isCorrectPath(domain)) {
            errors.add(new PolicyError(file, lineNo, "invalid domain '" + abbreviate(domain)
                    + "' (a domain name, a program path meaning \"domains whose last program is\", or \"any\")"));
            return null;
        }
        return new TransitionControl(ns, type, program, domain, hasFrom);
    }

    /** tomoyo_parse_number_union(): VALUE or MIN-MAX, decimal, 0octal or 0xhex, MIN &lt;= MAX. */
    static boolean isNumberUnion(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return parseUlong(s) != null;
        }
        Long a = parseUlong(s.substring(0, dash)), b = parseUlong(s.substring(dash + 1));
        return a != null && b != null && Long.compareUnsigned(a, b) <= 0;
    }

    private static Long parseUlong(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // profile.conf

    public static ProfilePolicy parseProfilePolicy(String file, String text) throws PolicyParseException {
        List<PolicyError> errors = new ArrayList<>();
        ProfilePolicy p = parseProfilePolicy(file, text, errors);
        throwIfAny(errors);
        return p;
    }

    static ProfilePolicy parseProfilePolicy(String file, String text, List<PolicyError> errors) {
        List<ProfileLine> out = parseNamespacedLines(file, text, errors, PolicyParser::parseProfileLine);
        return errors.isEmpty() ? new ProfilePolicy(out) : null;
    }

    private static ProfileLine parseProfileLine(String file, int lineNo, String ns, String s, List<PolicyError> errors) {
        if (s.startsWith("PROFILE_VERSION=")) {
            String v = s.substring("PROFILE_VERSION=".length());
            if (!v.matches("[0-9]{1,10}") || Long.parseLong(v) > 0xffffffffL) {
                errors.add(new PolicyError(file, lineNo, "PROFILE_VERSION needs a number (20150505)"));
                return null;
            }
            return new ProfileVersion(ns, Long.parseLong(v));
        }
        int dash = s.indexOf('-');
        int eq = s.indexOf('=');
        Integer profile = dash > 0 ? parseSmall(s.substring(0, dash)) : null;
        if (profile == null || eq < dash) {
            errors.add(new PolicyError(file, lineNo, "expected PROFILE_VERSION=... or N-KEY=VALUE"));
            return null;
        }
        if (profile > 255) {
            errors.add(new PolicyError(file, lineNo, "profile " + profile + " is not in 0..255"));
            return null;
        }
        String key = s.substring(dash + 1, eq);
        String value = s.substring(eq + 1);
        if (key.equals("COMMENT")) {
            return new ProfileComment(ns, profile, value);
        }
        if (key.equals("PREFERENCE")) {
            List<String> tokens = braced(value);
            if (tokens == null) {
                errors.add(new PolicyError(file, lineNo, "PREFERENCE value must be '{ key=value ... }'"));
                return null;
            }
            List<ProfilePreference.Pref> prefs = new ArrayList<>();
            for (String tok : tokens) {
                int e = tok.indexOf('=');
                String k = e < 0 ? tok : tok.substring(0, e);
                String v = e < 0 ? "" : tok.substring(e + 1);
                if (!k.matches("[a-z_]+") || !v.matches("[0-9]{1,10}") || Long.parseLong(v) > 0xffffffffL) {
                    errors.add(new PolicyError(file, lineNo, "invalid preference '" + tok
                            + "' (key=unsigned 32-bit number expected)"));
                    return null;
                }
                prefs.add(new ProfilePreference.Pref(k, Long.parseLong(v)));
            }
            return new ProfilePreference(ns, profile, prefs);
        }
        if (key.equals("CONFIG") || key.startsWith("CONFIG::")) {
            String category = null;
            String operation = null;
            if (!key.equals("CONFIG")) {
                String rest = key.substring("CONFIG::".length());
                int c = rest.indexOf("::");
                category = c < 0 ? rest : rest.substring(0, c);
                operation = c < 0 ? null : rest.substring(c + 2);
                if (!ProfileConfig.CATEGORIES.contains(category)) {
                    errors.add(new PolicyError(file, lineNo, "unknown category '" + category + "' (file, network, misc, "
                            + "capability, ipc)"));
                    return null;
                }
                Set<String> known = switch (category) {
                    case "file" -> ProfileConfig.FILE_OPERATIONS;
                    case "network" -> ProfileConfig.NETWORK_OPERATIONS;
                    case "misc" -> ProfileConfig.MISC_OPERATIONS;
                    default -> null; // TOMOYO 1.8 categories: operation names not checked
                };
                if (operation != null && (known != null ? !known.contains(operation) : !operation.matches("[a-z_]+"))) {
                    errors.add(new PolicyError(file, lineNo, "unknown operation '" + operation + "' in category "
                            + category));
                    return null;
                }
            }
            ConfigValue cv = parseConfigValue(file, lineNo, value, errors);
            return cv == null ? null : new ProfileConfig(ns, profile, category, operation, cv);
        }
        if (key.matches("[A-Za-z_][A-Za-z0-9_:]*")) {
            return new OtherProfileLine(ns, profile, (ns == null ? "" : ns + " ") + s);
        }
        errors.add(new PolicyError(file, lineNo, "invalid profile key '" + abbreviate(key) + "'"));
        return null;
    }

    private static ConfigValue parseConfigValue(String file, int lineNo, String value, List<PolicyError> errors) {
        List<String> tokens = braced(value);
        if (tokens == null) {
            errors.add(new PolicyError(file, lineNo, "CONFIG value must be '{ mode=... grant_log=yes|no "
                    + "reject_log=yes|no }' or '{ use_default }'"));
            return null;
        }
        boolean useDefault = false;
        ProfileMode mode = null;
        Boolean grant = null, reject = null;
        for (String tok : tokens) {
            String dup = null;
            if (tok.equals("use_default")) {
                dup = useDefault ? tok : null;
                useDefault = true;
            } else if (tok.startsWith("mode=")) {
                ProfileMode m = ProfileMode.byKeyword(tok.substring(5));
                if (m == null) {
                    errors.add(new PolicyError(file, lineNo, "unknown mode '" + tok.substring(5)
                            + "' (disabled, learning, permissive, enforcing)"));
                    return null;
                }
                dup = mode != null ? "mode" : null;
                mode = m;
            } else if (tok.startsWith("grant_log=") || tok.startsWith("reject_log=")) {
                String v = tok.substring(tok.indexOf('=') + 1);
                if (!v.equals("yes") && !v.equals("no")) {
                    errors.add(new PolicyError(file, lineNo, tok.substring(0, tok.indexOf('=')) + " must be yes or no"));
                    return null;
                }
                if (tok.startsWith("grant_log=")) {
                    dup = grant != null ? "grant_log" : null;
                    grant = v.equals("yes");
                } else {
                    dup = reject != null ? "reject_log" : null;
                    reject = v.equals("yes");
                }
            } else {
                errors.add(new PolicyError(file, lineNo, "unknown CONFIG setting '" + tok + "'"));
                return null;
            }
            if (dup != null) {
                errors.add(new PolicyError(file, lineNo, dup + " given twice"));
                return null;
            }
        }
        if (useDefault && (mode != null || grant != null || reject != null)) {
            errors.add(new PolicyError(file, lineNo, "use_default cannot be combined with other settings"));
            return null;
        }
        return new ConfigValue(useDefault, mode, grant, reject);
    }

    /** "{ a b c }" -> [a, b, c]; null if not braced. */
    private static List<String> braced(String v) {
        String[] t = v.split(" ");
        if (t.length < 2 || !t[0].equals("{") || !t[t.length - 1].equals("}")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < t.length - 1; i++) {
            if (t[i].equals("{") || t[i].equals("}")) {
                return null;
            }
            out.add(t[i]);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // shared

    /** [namespace or null, rest]; the namespace prefix "&lt;ns&gt; " of exception/profile lines. */
    private static String[] splitNamespace(String file, int lineNo, String s, List<PolicyError> errors) {
        if (!s.startsWith("<")) {
            return new String[] {null, s};
        }
        int sp = s.indexOf(' ');
        if (sp < 0 || !TomoyoName.isDomainDef(s.substring(0, sp))) {
            errors.add(new PolicyError(file, lineNo, "invalid namespace prefix (\"<name> \" expected)"));
            return null;
        }
        return new String[] {s.substring(0, sp), s.substring(sp + 1)};
    }

    private static Integer parseSmall(String s) {
        if (!s.matches("[0-9]{1,4}")) {
            return null;
        }
        return Integer.parseInt(s);
    }

    /** Lines of a file; a final newline does not start another line. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(text.substring(start));
                break;
            }
            out.add(text.substring(start, nl));
            start = nl + 1;
        }
        return out;
    }

    private record Line(String text, boolean blank, boolean comment) {}

    /**
     * tomoyo_normalize_line(), plus a check that the line holds only printable ASCII: TOMOYO
     * writes every other byte of a name as \ooo, so a raw one is a mistake.
     */
    private static Line normalize(String file, int lineNo, String raw, List<PolicyError> errors) {
        int i = 0;
        while (i < raw.length() && isSpace(raw.charAt(i))) {
            i++;
        }
        if (i == raw.length()) {
            return new Line("", true, false);
        }
        if (raw.charAt(i) == '#') {
            String t = raw.substring(i);
            if (t.endsWith("\r")) {
                t = t.substring(0, t.length() - 1);
            }
            return new Line(t, false, true);
        }
        StringBuilder sb = new StringBuilder(raw.length());
        boolean pendingSpace = false;
        for (; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (isSpace(c)) {
                pendingSpace = true;
                continue;
            }
            if (c <= ' ' || c >= 127) {
                errors.add(new PolicyError(file, lineNo, String.format("byte 0x%02x at column %d is not allowed "
                        + "(TOMOYO writes such bytes in names as \\ooo)", (int) c, i + 1)));
                return null;
            }
            if (pendingSpace && sb.length() > 0) {
                sb.append(' ');
            }
            pendingSpace = false;
            sb.append(c);
        }
        return new Line(sb.toString(), false, false);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
