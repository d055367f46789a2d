package dev.tomoyoctl.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyCapVal;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;
import dev.tomoyoctl.policy.abi.TmySignalKey;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A small network/capability/signal policy compiled, checked entry by entry. */
class NetworkCompilerTest {
    static final int G = 11;
    static final String D = "<kernel> /usr/sbin/httpd";
    static final long ID = DomainId.of(D);

    static int perm(int proto, int op) {
        return Abi.tmyNetPerm(proto, op);
    }

    static byte[] a16(String s) {
        return java.util.Arrays.copyOf(InetAddresses.parse(s), 16);
    }

    static TmyPathKey unix(String raw) {
        return new TmyPathKey(ID, PathHash.ofRaw(raw.getBytes(StandardCharsets.ISO_8859_1)), G, Abi.TMY_MATCH_UNIX);
    }

    @Test
    void smallPolicyEntryByEntry() throws Exception {
        PolicySet set = PolicySet.parse("""
                <kernel> /usr/sbin/httpd
                use_profile 3

                network inet stream bind/listen 0.0.0.0 80
                network inet dgram connect/send 10.0.0.1 53
                network inet stream connect 10.0.0.0-10.0.0.3 443
                network unix stream connect /run/x.sock
                network unix dgram send \\000tmy-abs
                network unix stream bind anonymous
                network unix stream connect /tmp/\\*.sock
                capability net_bind_service
                capability setuid
                ipc signal 15 <kernel> /usr/bin/sleep
                ipc signal 9 <kernel> task.uid=0
                network inet stream connect @NOPE 80
                """, "", ProfilePolicy.tomoyoDefault().print());
        CompiledPolicy c = PolicyCompiler.compile(set, G);
        int bind = perm(Abi.TMY_NET_STREAM, Abi.TMY_NET_BIND), listen = perm(Abi.TMY_NET_STREAM, Abi.TMY_NET_LISTEN);
        int connect = perm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT), udpSend = perm(Abi.TMY_NET_DGRAM, Abi.TMY_NET_SEND);

        assertThat(c.inetRules()).containsOnly(
                entry(new TmyInetKey(ID, G, Abi.TMY_AF_INET, 80, a16("0.0.0.0")), new TmyPathVal(bind | listen, 0)),
                entry(new TmyInetKey(ID, G, Abi.TMY_AF_INET, 53, a16("10.0.0.1")), new TmyPathVal(udpSend, 0)));
        // 10.0.0.0-10.0.0.3 is one /30 block -> port set 1 -> port 443 (/16)
        assertThat(c.inetRanges()).containsOnly(entry(TmyInetRangeKey.of(G, ID, Abi.TMY_AF_INET, a16("10.0.0.0"), 30),
                new TmyInetRangeVal(1)));
        assertThat(c.portSets()).containsOnly(entry(TmyPortKey.of(G, 1, 443, 16), new TmyPortVal(connect)));
        assertThat(c.pathRules()).containsOnly(
                entry(unix("/run/x.sock"), new TmyPathVal(connect, 0)),
                entry(unix("\0tmy-abs"), new TmyPathVal(udpSend, 0)),
                entry(unix("anonymous"), new TmyPathVal(bind, 0)));
        assertThat(c.capRules()).containsOnly(entry(new TmyDomainKey(ID, G), new TmyCapVal((1L << 10) | (1L << 7), 0)));
        assertThat(c.signalRules()).containsOnly(entry(new TmySignalKey(ID, DomainId.of("<kernel> /usr/bin/sleep"), G,
                15), new TmyPathVal(Abi.TMY_SIGNAL_ALLOWED, 0)));
        // quota: 2 + 2 + 1 + 1 + 1 + 1 + 1 + 1 network bits, 2 capabilities, 2 signals
        TmyDomainVal dv = c.domains().get(new TmyDomainKey(ID, G));
        assertThat(dv.withDfaUnix(0)).isEqualTo(new TmyDomainVal(DomainId.KERNEL, 3,
                Abi.TMY_DOMAIN_INET_RANGES, 10 + 2 + 2, 0));
        // the unix pattern is in the domain's unix automaton
        assertThat(dv.dfaUnix()).isNotZero();
        var ua = PolicyCompiler.compileDomain(set, D, G).unixAutomaton();
        assertThat(ua.perms("/tmp/a.sock".getBytes())).isEqualTo(connect);
        assertThat(ua.perms("/tmp/a/b.sock".getBytes())).isZero();
        assertThat(c.warnings()).extracting(PolicyWarning::toString).containsExactly(
                "domain_policy.conf:5: network inet dgram connect: never matches: TOMOYO checks connect() on a "
                        + "datagram socket as send",
                "domain_policy.conf:14: conditions are not enforced in the kernel yet; the rule is not compiled (the "
                        + "kernel does not grant it)",
                "domain_policy.conf:15: address_group NOPE is not defined in exception_policy.conf: the rule matches "
                        + "nothing");
        // the per-domain compile carries the same entries
        DomainEntries e = PolicyCompiler.compileDomain(set, D, G);
        assertThat(e.inetRules()).isEqualTo(c.inetRules());
        assertThat(e.inetRanges()).isEqualTo(c.inetRanges());
        assertThat(e.portSets()).isEqualTo(c.portSets());
        assertThat(e.capRules()).isEqualTo(c.capRules());
        assertThat(e.signalRules()).isEqualTo(c.signalRules());
        assertThat(e.mapEntries().keySet()).containsExactly(Abi.MAP_PATH_RULES, Abi.MAP_INET_RULES, Abi.MAP_PORT_SETS,
                Abi.MAP_INET_RANGES, Abi.MAP_CAP_RULES, Abi.MAP_SIGNAL_RULES, Abi.MAP_COND_RULES, Abi.MAP_DOMAINS);
        assertThat(c.mapEntries().get(Abi.MAP_INET_RULES)).hasSize(2);
    }

    @Test
    void parentIdsAreTheNameMinusItsLastWord() throws Exception {
        PolicySet set = PolicySet.parse("<kernel>\n<kernel> /a\n<kernel> /a /b\n</usr/sbin/httpd>\n", "", "");
        CompiledPolicy c = PolicyCompiler.compile(set, G);
        assertThat(c.domains().get(new TmyDomainKey(DomainId.KERNEL, G)).parent()).isZero();
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /a"), G)).parent()).isEqualTo(DomainId.KERNEL);
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /a /b"), G)).parent())
                .isEqualTo(DomainId.of("<kernel> /a"));
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of("</usr/sbin/httpd>"), G)).parent()).isZero();
    }

    @Test
    void rangesCutIntoDisjointIntervalsWithSharedPortSets() throws Exception {
        PolicySet set = PolicySet.parse("""
                <kernel> /a
                network inet stream connect 10.0.0.0-10.0.0.9 80
                network inet stream bind 10.0.0.5-10.0.0.20 1024-2047
                network inet stream connect @G 80
                <kernel> /b
                network inet stream connect 10.0.0.0-10.0.0.4 80
                """, "address_group G ::1\naddress_group G 10.0.0.100\n", "");
        CompiledPolicy c = PolicyCompiler.compile(set, G);
        int connect = perm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT), bind = perm(Abi.TMY_NET_STREAM, Abi.TMY_NET_BIND);
        InetRangeCompiler.PortSet p80 = new InetRangeCompiler.PortSet(List.of(new int[] {80, 80, connect}));
        // /a: [.0-.4] {80}, [.5-.9] {80 + 1024-2047}, [.10-.20] {1024-2047}, [.100] {80}; ::1 {80}
        var a = PolicyCompiler.rangeIntervals(set.domain("<kernel> /a"), dev.tomoyoctl.policy.NetworkGroups.of(
                set.exceptionPolicy()), java.util.Map.of());
        assertThat(a.v4()).hasSize(4);
        assertThat(a.v4().get(0).hi()).isEqualTo(BigInteger.valueOf(0x0a000004L));
        assertThat(a.v4().get(1).ports().key()).isEqualTo("80-80:4,1024-2047:1,");
        assertThat(a.v4().get(0).ports().key()).isEqualTo(p80.key());
        assertThat(a.v6()).singleElement().satisfies(iv -> assertThat(iv.ports().key()).isEqualTo(p80.key()));
        // three distinct port sets in the generation; /b's {80} shares /a's id
        assertThat(c.portSets().keySet().stream().map(TmyPortKey::portSet).distinct()).hasSize(3);
        long b = DomainId.of("<kernel> /b");
        TmyInetRangeVal bv = c.inetRanges().get(TmyInetRangeKey.of(G, b, Abi.TMY_AF_INET, a16("10.0.0.0"), 30));
        TmyInetRangeVal av = c.inetRanges().get(TmyInetRangeKey.of(G, DomainId.of("<kernel> /a"), Abi.TMY_AF_INET,
                a16("10.0.0.0"), 30));
        assertThat(bv).isNotNull().isEqualTo(av);
        // 1024-2047 is one /6 block of ports (1024 = 0b000001 0000000000)
        assertThat(c.portSets()).containsValue(new TmyPortVal(bind));
        assertThat(c.portSets().keySet()).anyMatch(k -> k.port() == 1024 && k.portBits() == 6);
    }

    @Test
    void cidrBlocksCoverExactlyTheInterval() {
        assertThat(InetRangeCompiler.cidrBlocks(BigInteger.ZERO, BigInteger.valueOf(65535), 16))
                .singleElement().satisfies(b -> assertThat(b[1]).isEqualTo(0));
        var blocks = InetRangeCompiler.cidrBlocks(BigInteger.ONE, BigInteger.valueOf(65534), 16);
        assertThat(blocks).hasSize(30);
        BigInteger next = BigInteger.ONE;
        for (Object[] bl : blocks) {
            assertThat(bl[0]).isEqualTo(next);
            next = next.add(BigInteger.ONE.shiftLeft(16 - (int) bl[1]));
        }
        assertThat(next).isEqualTo(BigInteger.valueOf(65535));
        BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        assertThat(InetRangeCompiler.cidrBlocks(BigInteger.ZERO, max, 128)).singleElement()
                .satisfies(b -> assertThat(b[1]).isEqualTo(0));
        assertThat(InetRangeCompiler.cidrBlocks(BigInteger.ONE, max.subtract(BigInteger.ONE), 128)).hasSize(254);
    }
}
