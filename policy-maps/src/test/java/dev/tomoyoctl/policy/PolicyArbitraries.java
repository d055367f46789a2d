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
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.GroupKind;
import dev.tomoyoctl.policy.model.GroupMember;
import dev.tomoyoctl.policy.model.CapabilityRule;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of canonical policies (built as models, so that their printed form is canonical). */
final class PolicyArbitraries {
    private PolicyArbitraries() {}

    /** A path component: raw bytes (any but '/' and NUL) encoded the TOMOYO way. */
    static Arbitrary<String> component() {
        Arbitrary<String> raw = Arbitraries.bytes().filter(b -> b != '/' && b != 0).array(byte[].class)
                .ofMinSize(1).ofMaxSize(8).map(TomoyoName::encode);
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcdefgh._-0123").ofMinLength(1).ofMaxLength(8);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, plain), net.jqwik.api.Tuple.of(1, raw));
    }

    static Arbitrary<String> path() {
        return component().list().ofMinSize(1).ofMaxSize(4).map(cs -> "/" + String.join("/", cs));
    }

    static Arbitrary<String> pathOrPattern() {
        Arbitrary<String> patterned = Combinators.combine(component().list().ofMinSize(0).ofMaxSize(3),
                Arbitraries.of("\\*", "\\{\\*\\}/\\*", "\\{\\*\\}/", "\\*/", "lib\\*.so", "\\$", "\\*\\-x"))
                .as((cs, s) -> "/" + (cs.isEmpty() ? "" : String.join("/", cs) + "/") + s);
        return Arbitraries.oneOf(path(), path(), patterned, Arbitraries.of("@GROUP", "proc:/self/maps",
                "pipe:[\\$]"));
    }

    static Arbitrary<String> domainName() {
        return Combinators.combine(Arbitraries.of("<kernel>", "<kernel>", "<kernel>", "</usr/sbin/httpd>"),
                path().list().ofMaxSize(6)).as((root, ps) -> ps.isEmpty() ? root : root + " " + String.join(" ", ps));
    }

    static Arbitrary<CommentLine> comment() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\t').ofMaxLength(30)
                .map(s -> new CommentLine("#" + s));
    }

    static Arbitrary<FileRule> fileRule() {
        return Combinators.combine(Arbitraries.integers().between(1, (1 << FileOp.values().length) - 1), pathOrPattern(),
                Arbitraries.of("", "", "", "task.uid=0", "task.uid!=0 path1.type=file", "grant_log=no"))
                .as(FileRule::new);
    }

    static Arbitrary<OtherAcl> otherAcl() {
        return Arbitraries.of(new OtherAcl("file rename", "file rename /a /b"),
                new OtherAcl("file link/rename", "file link/rename /a /b"),
                new OtherAcl("file ioctl", "file ioctl /dev/tty 0x5401"),
                new OtherAcl("misc env", "misc env LANG"),
                new OtherAcl("task manual_domain_transition", "task manual_domain_transition <kernel> /x"));
    }

    /** Canonical IPv4/IPv6 addresses, edges included. */
    static Arbitrary<String> inetAddress() {
        Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> v6 = Arbitraries.integers().between(0, 0xffff).map(w -> w < 0x8000 ? 0 : w).list().ofSize(8)
                .map(ws -> {
                    byte[] b = new byte[16];
                    for (int i = 0; i < 8; i++) {
                        b[2 * i] = (byte) (ws.get(i) >> 8);
                        b[2 * i + 1] = (byte) (int) ws.get(i);
                    }
                    return InetAddresses.format(b, true);
                });
        return Arbitraries.oneOf(v4, v6, Arbitraries.of("0.0.0.0", "255.255.255.255", "::", "::1", "::ffff:127.0.0.1",
                "fe80::1", "2001:db8::1:0:0:1"));
    }

    static Arbitrary<String> inetAddressField() {
        Arbitrary<String> range = Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0-10.0.0.255", "0.0.0.0-255.255.255.255", "::-ffff::", "fe80::1-fe80::2"),
                Combinators.combine(inetAddress(), inetAddress()).as((a, b) -> {
                    InetAddresses.Range x = InetAddresses.parseRange(a), y = InetAddresses.parseRange(b);
                    if (x.family() != y.family() || x.lo().equals(y.lo())) {
                        return a;
                    }
                    return x.lo().compareTo(y.lo()) < 0 ? a + "-" + b : b + "-" + a;
                }));
        return Arbitraries.oneOf(inetAddress(), inetAddress(), range, Arbitraries.of("@LOCAL", "@x\\040y"));
    }

    static Arbitrary<String> portField() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 65535).map(String::valueOf),
                Arbitraries.of("0", "65535", "1024-65535", "0x50", "0-0x10", "010", "@PORTS", "7001-7005"));
    }

    static Arbitrary<NetworkRule> networkRule() {
        Arbitrary<String> cond = Arbitraries.of("", "", "", "task.uid=0");
        Arbitrary<NetworkRule> inet = Combinators.combine(Arbitraries.of(NetProtocol.STREAM, NetProtocol.DGRAM,
                NetProtocol.RAW), Arbitraries.integers().between(1, 15), inetAddressField(), portField(), cond)
                .as((p, ops, a, port, c) -> new NetworkRule("inet", p, ops, a, port, c));
        Arbitrary<String> unixAddr = Arbitraries.oneOf(path(), Arbitraries.of("anonymous", "\\000tmy-abs",
                "\\000", "relative.sock", "@SOCKS", "/tmp/\\*.sock"));
        Arbitrary<NetworkRule> unix = Combinators.combine(Arbitraries.of(NetProtocol.STREAM, NetProtocol.DGRAM,
                NetProtocol.SEQPACKET), Arbitraries.integers().between(1, 15), unixAddr, cond)
                .as((p, ops, a, c) -> new NetworkRule("unix", p, ops, a, "", c));
        return Arbitraries.oneOf(inet, inet, unix);
    }

    static Arbitrary<DomainLine> capabilityOrSignal() {
        Arbitrary<DomainLine> cap = Combinators.combine(Arbitraries.of(CapabilityRule.NAMES),
                Arbitraries.of("", "", "task.uid=0")).as(CapabilityRule::new);
        Arbitrary<DomainLine> sig = Combinators.combine(Arbitraries.integers().between(1, 64), domainName(),
                Arbitraries.of("", "", "task.uid=0")).as(SignalRule::new);
        return Arbitraries.oneOf(cap, sig);
    }

    static Arbitrary<DomainLine> domainLine() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 255).map(UseProfile::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 255).map(UseGroup::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(DomainFlag.class).map(DomainFlagLine::new)),
                net.jqwik.api.Tuple.of(8, fileRule()),
                net.jqwik.api.Tuple.of(2, otherAcl()),
                net.jqwik.api.Tuple.of(4, networkRule()),
                net.jqwik.api.Tuple.of(2, capabilityOrSignal()),
                net.jqwik.api.Tuple.of(2, Arbitraries.<DomainLine>just(BlankLine.INSTANCE)),
                net.jqwik.api.Tuple.of(1, comment()));
    }

    static Arbitrary<DomainPolicy> domainPolicy() {
        Arbitrary<List<DomainLine>> preamble = Arbitraries.<DomainLine>oneOf(Arbitraries.just(BlankLine.INSTANCE), comment())
                .list().ofMaxSize(3).map(l -> new ArrayList<DomainLine>(l));
        Arbitrary<Map<String, List<DomainLine>>> domains = Arbitraries.maps(domainName(),
                domainLine().list().ofMaxSize(12)).ofMaxSize(8).map(LinkedHashMap::new);
        return Combinators.combine(preamble, domains).as((pre, ds) -> {
            List<Domain> list = new ArrayList<>();
            ds.forEach((n, lines) -> list.add(new Domain(n, lines)));
            return new DomainPolicy(pre, list);
        });
    }

    static Arbitrary<String> namespace() {
        return Arbitraries.of(null, null, null, "<apache>", "<kernel>");
    }

    static Arbitrary<ExceptionLine> transition() {
        return Combinators.combine(namespace(), Arbitraries.of(TransitionType.class),
                Arbitraries.oneOf(Arbitraries.just((String) null), path()),
                Arbitraries.oneOf(Arbitraries.just((String) null), path(), domainName()), Arbitraries.of(true, false))
                .as((ns, t, prog, dom, from) -> {
                    if (!from) {
                        return t.isKeepFamily() ? new TransitionControl(ns, t, null, dom, false)
                                : new TransitionControl(ns, t, prog, null, false);
                    }
                    return new TransitionControl(ns, t, prog, dom, true);
                });
    }

    static Arbitrary<ExceptionLine> exceptionLine() {
        Arbitrary<ExceptionLine> agg = Combinators.combine(namespace(), pathOrPattern().filter(p -> !p.startsWith("@")),
                path()).as(Aggregator::new);
        Arbitrary<ExceptionLine> group = Combinators.combine(namespace(), Arbitraries.of(GroupKind.class),
                Arbitraries.of("G", "ANY_PATHNAME", "x\\040y")).as((ns, k, g) -> switch (k) {
                    case PATH -> new GroupMember(ns, k, g, "/\\{\\*\\}/\\*");
                    case NUMBER -> new GroupMember(ns, k, g, "0x10-0x20");
                    case ADDRESS -> new GroupMember(ns, k, g, "10.0.0.1-10.0.0.9");
                });
        Arbitrary<ExceptionLine> addrGroup = Combinators.combine(namespace(), Arbitraries.of("LOCAL", "G"),
                inetAddressField().filter(a -> !a.startsWith("@"))).as((ns, g, a) -> new GroupMember(ns,
                GroupKind.ADDRESS, g, a));
        Arbitrary<ExceptionLine> numGroup = Combinators.combine(namespace(), Arbitraries.of("PORTS", "G"),
                portField().filter(a -> !a.startsWith("@"))).as((ns, g, a) -> new GroupMember(ns,
                GroupKind.NUMBER, g, a));
        Arbitrary<ExceptionLine> acl = Combinators.combine(namespace(), Arbitraries.integers().between(0, 255),
                Arbitraries.<DomainLine>oneOf(fileRule(), otherAcl(), networkRule(), capabilityOrSignal()))
                .as(AclGroupRule::new);
        return Arbitraries.<ExceptionLine>oneOf(transition(), transition(), agg, group, addrGroup, numGroup, acl, Arbitraries.just(BlankLine.INSTANCE),
                comment());
    }

    static Arbitrary<ExceptionPolicy> exceptionPolicy() {
        return exceptionLine().list().ofMaxSize(25).map(ExceptionPolicy::new);
    }

    static Arbitrary<ProfileLine> profileLine() {
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 255);
        Arbitrary<ConfigValue> value = Arbitraries.oneOf(Arbitraries.just(new ConfigValue(true, null, null, null)),
                Combinators.combine(Arbitraries.of(ProfileMode.class).injectNull(0.2),
                        Arbitraries.of(true, false).injectNull(0.3), Arbitraries.of(true, false).injectNull(0.3))
                        .as((m, g, r) -> new ConfigValue(false, m, g, r)));
        Arbitrary<String[]> key = Arbitraries.of(new String[] {null, null}, new String[] {"file", null},
                new String[] {"file", "open"}, new String[] {"file", "execute"}, new String[] {"network", null},
                new String[] {"network", "inet_stream_connect"}, new String[] {"capability", "use_route"},
                new String[] {"ipc", null}, new String[] {"misc", "env"});
        Arbitrary<ProfileLine> config = Combinators.combine(namespace(), n, key, value)
                .as((ns, p, k, v) -> new ProfileConfig(ns, p, k[0], k[1], v));
        Arbitrary<ProfileLine> comment = Combinators.combine(namespace(), n,
                Arbitraries.strings().withChars("abc-XYZ=:{}").ofMaxLength(12).list().ofMaxSize(3)
                        .map(ws -> String.join(" ", ws.stream().filter(w -> !w.isEmpty()).toList())))
                .as(ProfileComment::new);
        Arbitrary<ProfileLine> pref = Combinators.combine(namespace(), n,
                Combinators.combine(Arbitraries.of("max_audit_log", "max_learning_entry", "other_pref"),
                        Arbitraries.longs().between(0, 0xffffffffL)).as(ProfilePreference.Pref::new).list().ofMaxSize(3))
                .as(ProfilePreference::new);
        Arbitrary<ProfileLine> version = Combinators.combine(namespace(),
                Arbitraries.of(ProfileVersion.CURRENT, ProfileVersion.CONVERTIBLE, 1L)).as(ProfileVersion::new);
        Arbitrary<ProfileLine> other = n.map(p -> new OtherProfileLine(null, p, p + "-PREFERENCE::audit={ x=1 }"));
        return Arbitraries.<ProfileLine>oneOf(config, config, comment, pref, version, other, Arbitraries.just(BlankLine.INSTANCE),
                comment());
    }

    static Arbitrary<ProfilePolicy> profilePolicy() {
        return profileLine().list().ofMaxSize(25).map(ProfilePolicy::new);
    }
}
