package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.NetOp;
import dev.tomoyoctl.policy.model.NetProtocol;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.SignalRule;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing, printing, addresses and learned-rule merging of network, capability and signal rules. */
class NetworkPolicyTest {

    static byte[] a16(String literal) {
        return java.util.Arrays.copyOf(InetAddresses.parse(literal), 16);
    }

    @Test
    void ipv6PrintsAsTheKernelsPI6c() {
        for (String[] c : new String[][] {{"::1", "::1"}, {"::", "::"}, {"2001:db8::1", "2001:db8::1"},
                {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
                {"fe80::1", "fe80::1"}, {"2001:DB8:0000:0:0:0:0:0001", "2001:db8::1"},
                {"1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"}, {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"},
                {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}, {"2001:db8::", "2001:db8::"}, {"::ffff:0:0", "::ffff:0.0.0.0"},
                {"fe80::5efe:c000:201", "fe80::5efe:192.0.2.1"}, {"::1.2.3.4", "::102:304"},
                {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}}) {
            assertThat(InetAddresses.canonical(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(InetAddresses.format(a16(c[0]), true)).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(InetAddresses.format(a16("10.1.2.3"), false)).isEqualTo("10.1.2.3");
        for (String bad : List.of("1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "1.2.3", "1.2.3.256", "1.2.3.4.5",
                ":1", "1:", "", "01.2.3.4.5", "::1.2.3")) {
            assertThat(InetAddresses.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void rangesAndTheirErrors() {
        InetAddresses.Range r = InetAddresses.parseRange("10.0.0.255-10.0.1.0");
        assertThat(r.family()).isEqualTo(Abi.TMY_AF_INET);
        assertThat(r.text()).isEqualTo("10.0.0.255-10.0.1.0");
        assertThat(InetAddresses.parseRange("::1-::1").text()).isEqualTo("::1");
        assertThatThrownBy(() -> InetAddresses.parseRange("10.0.0.2-10.0.0.1")).hasMessageContaining("low end above");
        assertThatThrownBy(() -> InetAddresses.parseRange("10.0.0.1-::1")).hasMessageContaining("mixes IPv4 and IPv6");
        assertThatThrownBy(() -> InetAddresses.parseRange("10.0.0.1-x")).hasMessageContaining("bad address 'x'");
        assertThat(NumberUnion.parsePort("0x50")).containsExactly(80, 80);
        assertThat(NumberUnion.parsePort("010-65535")).containsExactly(8, 65535);
        assertThatThrownBy(() -> NumberUnion.parsePort("65536")).hasMessageContaining("out of 0..65535");
        assertThatThrownBy(() -> NumberUnion.parsePort("9-8")).hasMessageContaining("low end above");
    }

    static final String DOMAINS = """
            <kernel> /usr/sbin/httpd
            use_profile 3

            network inet stream bind/listen 0.0.0.0 80
            network inet dgram connect/send 2001:db8::1 53
            network inet stream connect 10.0.0.0-10.0.0.255 1024-65535
            network inet raw send @LAN 0x11
            network unix stream connect /run/x.sock
            network unix dgram send \\000tmy-abs
            network unix seqpacket bind anonymous task.uid=0
            capability net_bind_service
            ipc signal 15 <kernel> /usr/bin/sleep
            ipc signal 9 <kernel> task.uid=0
            """;

    @Test
    void networkCapabilityAndSignalLinesAreModelledAndPrintedBack() throws Exception {
        DomainPolicy p = PolicyParser.parseDomainPolicy("d", DOMAINS);
        assertThat(p.print()).isEqualTo(DOMAINS);
        Domain d = p.domain("<kernel> /usr/sbin/httpd");
        assertThat(d.lines().get(2)).isEqualTo(new NetworkRule("inet", NetProtocol.STREAM,
                NetOp.BIND.bit() | NetOp.LISTEN.bit(), "0.0.0.0", "80"));
        assertThat(d.lines().get(8)).isEqualTo(new NetworkRule("unix", NetProtocol.SEQPACKET, NetOp.BIND.bit(),
                "anonymous", "", "task.uid=0"));
        assertThat(d.lines().get(9)).isEqualTo(new CapabilityRule("net_bind_service"));
        assertThat(d.lines().get(10)).isEqualTo(new SignalRule(15, "<kernel> /usr/bin/sleep"));
        assertThat(d.lines().get(11)).isEqualTo(new SignalRule(9, "<kernel>", "task.uid=0"));
        assertThat(d.lines().subList(2, 12)).allMatch(l -> l.isAcl());
        // quota: 2 + 2 + 1 + 1 + 1 + 1 + 1 network bits, 1 capability, 2 signals
        assertThat(d.quotaCount()).isEqualTo(9 + 1 + 2);
    }

    @Test
    void addressesAreStoredAsTomoyoPrintsThem() throws Exception {
        Domain d = PolicyParser.parseDomainPolicy("d", "<kernel>\nnetwork inet stream connect 2001:DB8:0:0:0:0:0:1 80\n"
                + "network inet stream connect 10.0.0.1-10.0.0.1 81\n").domain("<kernel>");
        assertThat(d.lines()).extracting(l -> l.text()).containsExactly(
                "network inet stream connect 2001:db8::1 80", "network inet stream connect 10.0.0.1 81");
    }

    @Test
    void errorsNameFileLineAndTheBadField() {
        String text = """
                <kernel>
                network inet stream connect 10.0.0.256 80
                network inet stream connect 10.0.0.1 65536
                network inet stream connect 10.0.0.9-10.0.0.1 80
                network inet stream connect 10.0.0.1-::1 80
                network inet seqpacket connect 10.0.0.1 80
                network inet stream accept 10.0.0.1 80
                network inet stream connect 10.0.0.1
                network unix stream connect bad\\path
                capability cap_net_raw
                ipc signal 0 <kernel>
                ipc signal 65 <kernel>
                ipc signal 15 kernel
                ipc signal 15 <kernel> /bin/a\\101
                network inet stream connect 10.0.0.1 8-7
                network unix raw send /x
                """;
        PolicyParseException ex = catchThrowableOfType(PolicyParseException.class,
                () -> PolicyParser.parseDomainPolicy("domain_policy.conf", text));
        assertThat(ex.errors()).extracting(PolicyError::toString).containsExactly(
                "domain_policy.conf:2: address: bad address '10.0.0.256'",
                "domain_policy.conf:3: port: port 65536 is out of 0..65535",
                "domain_policy.conf:4: address: range '10.0.0.9-10.0.0.1' has its low end above its high end",
                "domain_policy.conf:5: address: range '10.0.0.1-::1' mixes IPv4 and IPv6",
                "domain_policy.conf:6: unknown network inet protocol 'seqpacket' (stream, dgram, raw)",
                "domain_policy.conf:7: unknown network operation 'accept' (bind, listen, connect, send)",
                "domain_policy.conf:8: network inet needs PROTOCOL OPERATIONS ADDRESS PORT",
                "domain_policy.conf:9: bad unix address 'bad\\path' (a TOMOYO-encoded name, \\000... for an abstract "
                        + "one, anonymous, or @path_group)",
                "domain_policy.conf:10: unknown capability 'cap_net_raw' (a Linux capability name in lower case "
                        + "without cap_, e.g. net_bind_service)",
                "domain_policy.conf:11: signal '0' is not a number in 1..64",
                "domain_policy.conf:12: signal '65' is not a number in 1..64",
                "domain_policy.conf:13: bad domain name 'kernel' (\"<kernel>\" then absolute program paths, "
                        + "TOMOYO-encoded)",
                "domain_policy.conf:14: bad domain name '<kernel> /bin/a\\101' (\"<kernel>\" then absolute program "
                        + "paths, TOMOYO-encoded)",
                "domain_policy.conf:15: port: range '8-7' has its low end above its high end",
                "domain_policy.conf:16: unknown network unix protocol 'raw' (stream, dgram, seqpacket)");
    }

    @Test
    void groupMembersAreValidatedByKind() {
        String text = """
                address_group G 10.0.0.1
                address_group G 10.0.0.5-10.0.0.1
                address_group G ::1-10.0.0.1
                number_group P 80-79
                number_group P 0x
                address_group G fe80::1-fe80::2
                """;
        PolicyParseException ex = catchThrowableOfType(PolicyParseException.class,
                () -> PolicyParser.parseExceptionPolicy("exception_policy.conf", text));
        assertThat(ex.errors()).extracting(PolicyError::toString).containsExactly(
                "exception_policy.conf:2: address_group G member: range '10.0.0.5-10.0.0.1' has its low end above its "
                        + "high end",
                "exception_policy.conf:3: address_group G member: range '::1-10.0.0.1' mixes IPv4 and IPv6",
                "exception_policy.conf:4: number_group P member: range '80-79' has its low end above its high end",
                "exception_policy.conf:5: number_group P member: bad number '0x'");
    }

    @Test
    void ofEventBuildsWhatLearningRecords() {
        int udpSend = Abi.tmyNetPerm(Abi.TMY_NET_DGRAM, Abi.TMY_NET_SEND);
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_INET, udpSend, a16("127.0.0.1"), 53, null).text())
                .isEqualTo("network inet dgram send 127.0.0.1 53");
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_INET6, Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT),
                a16("::1"), 7001, null).text()).isEqualTo("network inet stream connect ::1 7001");
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_UNIX, udpSend, null, 0,
                "/run/a b".getBytes(StandardCharsets.US_ASCII)).text()).isEqualTo("network unix dgram send /run/a\\040b");
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_UNIX, Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT), null,
                0, "\0tmy-abs".getBytes(StandardCharsets.US_ASCII)).text())
                .isEqualTo("network unix stream connect \\000tmy-abs");
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_UNIX, Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_LISTEN), null,
                0, new byte[0]).text()).isEqualTo("network unix stream listen anonymous");
        assertThat(NetworkRule.ofEvent(Abi.TMY_AF_INET, Abi.tmyNetPerm(Abi.TMY_NET_RAW, Abi.TMY_NET_BIND),
                a16("0.0.0.0"), 1, null).text()).isEqualTo("network inet raw bind 0.0.0.0 1");
        assertThatThrownBy(() -> NetworkRule.ofEvent(Abi.TMY_AF_INET, 3, a16("::1"), 1, null))
                .hasMessageContaining("not one TMY_NET_PERM bit");
        assertThat(CapabilityRule.capabilityName(10)).isEqualTo("net_bind_service");
        assertThat(CapabilityRule.capabilityName(40)).isEqualTo("checkpoint_restore");
        assertThat(CapabilityRule.capabilityName(41)).isNull();
        assertThat(CapabilityRule.capabilityNumber("sys_admin")).isEqualTo(21);
        assertThat(CapabilityRule.capabilityNumber("nope")).isEqualTo(-1);
    }

    @Test
    void learnedNetworkRulesMergeByOringOpsCapabilityAndSignalAreAddedOnce() throws Exception {
        PolicySet set = PolicySet.parse("<kernel> /bin/x\nuse_profile 1\n\nfile read /etc/hosts\n"
                + "network inet stream connect 127.0.0.1 80 task.uid=0\n", "", "");
        String dom = "<kernel> /bin/x";
        int tcpBind = Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_BIND);
        int tcpListen = Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_LISTEN);
        int tcpConnect = Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT);
        assertThat(set.addLearnedRule(dom, NetworkRule.ofEvent(Abi.TMY_AF_INET, tcpListen, a16("127.0.0.1"), 80, null)))
                .isTrue();
        assertThat(set.addLearnedRule(dom, NetworkRule.ofEvent(Abi.TMY_AF_INET, tcpBind, a16("127.0.0.1"), 80, null)))
                .isTrue();
        assertThat(set.addLearnedRule(dom, NetworkRule.ofEvent(Abi.TMY_AF_INET, tcpBind, a16("127.0.0.1"), 80, null)))
                .isFalse();
        // merged into the unconditional rule, not into the conditional one (another key)
        assertThat(set.addLearnedRule(dom, NetworkRule.ofEvent(Abi.TMY_AF_INET, tcpConnect, a16("127.0.0.1"), 80,
                null))).isTrue();
        assertThat(set.addLearnedRule(dom, new CapabilityRule("net_bind_service"))).isTrue();
        assertThat(set.addLearnedRule(dom, new CapabilityRule("net_bind_service"))).isFalse();
        assertThat(set.addLearnedRule(dom, new SignalRule(15, "<kernel> /bin/sleep"))).isTrue();
        assertThat(set.addLearnedRule(dom, new SignalRule(15, "<kernel> /bin/sleep"))).isFalse();
        assertThat(set.addLearnedRule(dom, new dev.tomoyoctl.policy.model.FileRule(
                dev.tomoyoctl.policy.model.FileOp.WRITE.bit(), "/etc/hosts"))).isTrue();
        assertThat(set.printDomain(dom)).isEqualTo("""
                <kernel> /bin/x
                use_profile 1

                file read/write /etc/hosts
                network inet stream connect 127.0.0.1 80 task.uid=0
                network inet stream bind/listen/connect 127.0.0.1 80
                capability net_bind_service
                ipc signal 15 <kernel> /bin/sleep
                """);
        assertThat(set.domain(dom).quotaCount()).isEqualTo(2 + 1 + 3 + 1 + 1);
        // reparsing the printed domain gives the same merge behaviour (indexes rebuilt)
        PolicySet again = PolicySet.parse(set.printDomainPolicy(), "", "");
        assertThat(again.addLearnedRule(dom, NetworkRule.ofEvent(Abi.TMY_AF_INET, tcpConnect, a16("127.0.0.1"), 80,
                null))).isFalse();
        assertThatThrownBy(() -> set.addLearnedRule("<kernel> /nope", new CapabilityRule("kill")))
                .hasMessageContaining("unknown domain");
    }
}
