package dev.tomoyoctl.policy.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.loader.BpfMap;
import dev.tomoyoctl.loader.BpfObject;
import dev.tomoyoctl.loader.BpfProgram;
import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.NetworkGroups;
import dev.tomoyoctl.policy.NetworkMatcher;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.MapEntry;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.net.NetCases;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The kernel tier for network rules: the LSM programs' own inet lookup (tmy_inet_lookup,
 * compiled into bpf/test/net_match.bpf.c as the raw_tp program "tmy_net_match_test", run with
 * BPF_PROG_TEST_RUN on this machine's kernel; the granted bits are its return value) over maps
 * filled with PolicyCompiler's entries grants exactly what the Java reference matcher says
 * TOMOYO grants, on generated rules with ranges, groups and their edges.
 */
class NetKernelAgreementTest {
    private static final Path OBJECT = KernelAgreementTest.repo().resolve("bpf/target/obj/test/net_match.bpf.o");
    /** struct tmy_net_match_test (bpf/test/net_match_test.h). */
    private static final int CTX_SIZE = 48;

    private static BpfObject object;
    private static BpfProgram program;

    @BeforeContainer
    static void load() {
        object = BpfObject.open(OBJECT);
        object.load();
        program = object.program("tmy_net_match_test");
    }

    @AfterContainer
    static void close() {
        if (object != null) {
            object.close();
        }
    }

    static int kernelGranted(long domain, int generation, int domainFlags, NetCases.Query q) {
        ByteBuffer ctx = ByteBuffer.allocate(CTX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ctx.putLong(0, domain).putInt(8, generation).putInt(12, q.want()).putInt(16, domainFlags);
        ctx.put(20, (byte) q.family()).putShort(22, (short) q.port());
        ctx.put(24, q.addr16());
        return program.testRun(ctx.array()).retval();
    }

    static void fill(String mapName, List<MapEntry> entries) {
        BpfMap map = object.map(mapName);
        for (byte[] key : map.keys()) {
            map.delete(key);
        }
        for (MapEntry e : entries) {
            map.update(e.key(), e.value());
        }
    }

    @Provide
    Arbitrary<NetCases.Case> cases() {
        return NetCases.cases();
    }

    @Property(tries = 150)
    void theKernelsLookupGrantsWhatTheReferenceMatcherGrants(@ForAll("cases") NetCases.Case c, @ForAll long seed)
            throws Exception {
        PolicySet set = PolicySet.parse(c.domainPolicy(), c.exceptionPolicy(), "");
        int generation = 3;
        CompiledPolicy compiled = PolicyCompiler.compile(set, generation);
        for (String m : List.of(Abi.MAP_INET_RULES, Abi.MAP_INET_RANGES, Abi.MAP_PORT_SETS)) {
            fill(m, compiled.entries(m));
        }
        long id = DomainId.of(NetCases.DOMAIN);
        TmyDomainVal dv = compiled.domains().get(new TmyDomainKey(id, generation));
        List<NetworkRule> rules = set.domain(NetCases.DOMAIN).lines().stream()
                .filter(l -> l instanceof NetworkRule).map(l -> (NetworkRule) l).toList();
        NetworkGroups groups = NetworkGroups.of(set.exceptionPolicy());
        for (NetCases.Query q : NetCases.queries(c, seed)) {
            int expected = NetworkMatcher.granted(rules, groups, q.family(), q.want(), q.addr16(), q.port());
            assertThat(kernelGranted(id, generation, dv.flags(), q)).as("%s under %s / %s", q, c.rules(), c.groups())
                    .isEqualTo(expected);
        }
    }

    @Example
    void portRangeAndAddressGroupEdgesInTheKernel() throws Exception {
        PolicySet set = PolicySet.parse(NetCases.DOMAIN + "\nuse_profile 3\n\n"
                + "network inet stream connect 127.0.0.1 7001-7003\n"
                + "network inet stream connect @LOOP 8080\n", "address_group LOOP 127.0.0.2-127.0.0.4\n"
                + "address_group LOOP ::1\n", "");
        CompiledPolicy compiled = PolicyCompiler.compile(set, 4);
        for (String m : List.of(Abi.MAP_INET_RULES, Abi.MAP_INET_RANGES, Abi.MAP_PORT_SETS)) {
            fill(m, compiled.entries(m));
        }
        long id = DomainId.of(NetCases.DOMAIN);
        int flags = compiled.domains().get(new TmyDomainKey(id, 4)).flags();
        assertThat(flags & Abi.TMY_DOMAIN_INET_RANGES).isNotZero();
        int connect = Abi.tmyNetPerm(Abi.TMY_NET_STREAM, Abi.TMY_NET_CONNECT);
        record Q(String addr, int port, boolean granted) {}
        for (Q q : List.of(new Q("127.0.0.1", 7000, false), new Q("127.0.0.1", 7001, true),
                new Q("127.0.0.1", 7003, true), new Q("127.0.0.1", 7004, false), new Q("127.0.0.1", 8080, false),
                new Q("127.0.0.2", 8080, true), new Q("127.0.0.4", 8080, true), new Q("127.0.0.5", 8080, false),
                new Q("127.0.0.3", 8081, false), new Q("::1", 8080, true), new Q("::2", 8080, false))) {
            byte[] a = dev.tomoyoctl.policy.InetAddresses.parse(q.addr());
            int family = a.length == 4 ? Abi.TMY_AF_INET : Abi.TMY_AF_INET6;
            byte[] a16 = java.util.Arrays.copyOf(a, 16);
            assertThat(kernelGranted(id, 4, flags, new NetCases.Query(family, connect, a16, q.port())))
                    .as("%s %d", q.addr(), q.port()).isEqualTo(q.granted() ? connect : 0);
        }
    }
}
