package dev.tomoyoctl.policy.net;

import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.abi.Abi;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated network policies and queries for the agreement properties: a domain's inet rules
 * over a small address and port space (so that ranges, groups and their edges overlap often),
 * address_group / number_group lines, and queries at and next to every edge.
 */
public final class NetCases {
    private NetCases() {}

    public static final String DOMAIN = "<kernel> /usr/sbin/net-test";

    /** A policy: exception lines (groups) and the domain's rule lines. */
    public record Case(List<String> groups, List<String> rules) {
        public String domainPolicy() {
            return DOMAIN + "\nuse_profile 3\n\n" + String.join("\n", rules) + "\n";
        }

        public String exceptionPolicy() {
            return groups.isEmpty() ? "" : String.join("\n", groups) + "\n";
        }
    }

    /** A query: family, TMY_NET_PERM bit asked, address, port. */
    public record Query(int family, int want, byte[] addr16, int port) {
        @Override
        public String toString() {
            return InetAddresses.format(addr16, family == Abi.TMY_AF_INET6) + " port " + port + " want "
                    + Integer.toHexString(want);
        }
    }

    // IPv4 addresses 10.0.0.0 .. 10.0.1.255 and a few far ones; IPv6 in 2001:db8::/120 and ::.
    static Arbitrary<BigInteger> v4() {
        BigInteger base = new BigInteger(1, new byte[] {10, 0, 0, 0});
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 511).map(i -> base.add(BigInteger.valueOf(i)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(BigInteger.ZERO, BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE),
                        new BigInteger(1, new byte[] {127, 0, 0, 1}))));
    }

    static Arbitrary<BigInteger> v6() {
        BigInteger base = new BigInteger(1, InetAddresses.parse("2001:db8::"));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 300).map(i -> base.add(BigInteger.valueOf(i)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(BigInteger.ZERO, BigInteger.ONE,
                        BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))));
    }

    static String fmt(BigInteger v, int family) {
        return InetAddresses.format(InetAddresses.toBytes16(v, family), family == Abi.TMY_AF_INET6);
    }

    static Arbitrary<String> addressRange() {
        Arbitrary<String> single = Arbitraries.oneOf(v4().map(v -> fmt(v, Abi.TMY_AF_INET)), v6().map(v -> fmt(v,
                Abi.TMY_AF_INET6)));
        Arbitrary<String> r4 = Combinators.combine(v4(), v4()).as((a, b) -> a.equals(b) ? fmt(a, Abi.TMY_AF_INET)
                : fmt(a.min(b), Abi.TMY_AF_INET) + "-" + fmt(a.max(b), Abi.TMY_AF_INET));
        Arbitrary<String> r6 = Combinators.combine(v6(), v6()).as((a, b) -> a.equals(b) ? fmt(a, Abi.TMY_AF_INET6)
                : fmt(a.min(b), Abi.TMY_AF_INET6) + "-" + fmt(a.max(b), Abi.TMY_AF_INET6));
        return Arbitraries.oneOf(single, single, r4, r6);
    }

    static Arbitrary<Integer> portValue() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(7990, 8030)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 1023, 1024, 65534, 65535)));
    }

    static Arbitrary<String> portRange() {
        return Arbitraries.oneOf(portValue().map(String::valueOf), Combinators.combine(portValue(), portValue())
                .as((a, b) -> a.equals(b) ? String.valueOf(a) : Math.min(a, b) + "-" + Math.max(a, b)),
                Arbitraries.of("0-65535", "1024-65535"));
    }

    public static Arbitrary<Case> cases() {
        Arbitrary<List<String>> groups = Arbitraries.oneOf(
                addressRange().map(a -> "address_group AG " + a),
                addressRange().map(a -> "address_group AG2 " + a),
                portRange().map(p -> "number_group PG " + p)).list().ofMaxSize(6);
        Arbitrary<String> proto = Arbitraries.of("stream", "dgram", "raw");
        Arbitrary<String> ops = Arbitraries.of("bind", "listen", "connect", "send", "bind/listen", "connect/send",
                "bind/listen/connect/send");
        Arbitrary<String> addr = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, addressRange()),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("@AG", "@AG2", "@UNDEFINED")));
        Arbitrary<String> port = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, portRange()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("@PG", "@NOPE")));
        Arbitrary<String> rule = Combinators.combine(proto, ops, addr, port)
                .as((p, o, a, q) -> "network inet " + p + " " + o + " " + a + " " + q);
        return Combinators.combine(groups, rule.list().ofMinSize(0).ofMaxSize(8)).as(Case::new);
    }

    /** Queries at every edge of the case's ranges (lo-1, lo, hi, hi+1) and random ones. */
    public static List<Query> queries(Case c, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        List<BigInteger[]> addrs = new ArrayList<>(); // {family, value}
        List<Integer> ports = new ArrayList<>(List.of(0, 65535, 8000));
        List<String> words = new ArrayList<>();
        for (String r : c.rules()) {
            String[] w = r.split(" ");
            words.add(w[4]);
            words.add(w[5]);
        }
        for (String g : c.groups()) {
            words.add(g.split(" ")[2]);
        }
        for (String w : words) {
            if (w.startsWith("@")) {
                continue;
            }
            if (w.indexOf('.') >= 0 || w.indexOf(':') >= 0) {
                InetAddresses.Range r = InetAddresses.parseRange(w);
                BigInteger max = BigInteger.ONE.shiftLeft(InetAddresses.bits(r.family())).subtract(BigInteger.ONE);
                for (BigInteger v : List.of(r.lo().subtract(BigInteger.ONE), r.lo(), r.hi(), r.hi().add(BigInteger.ONE))) {
                    if (v.signum() >= 0 && v.compareTo(max) <= 0) {
                        addrs.add(new BigInteger[] {BigInteger.valueOf(r.family()), v});
                    }
                }
            } else {
                String[] p = w.split("-");
                int lo = Integer.parseInt(p[0]), hi = Integer.parseInt(p[p.length - 1]);
                for (int v : new int[] {lo - 1, lo, hi, hi + 1}) {
                    if (v >= 0 && v <= 65535) {
                        ports.add(v);
                    }
                }
            }
        }
        addrs.add(new BigInteger[] {BigInteger.valueOf(Abi.TMY_AF_INET), new BigInteger(1, new byte[] {10, 0, 0, 7})});
        addrs.add(new BigInteger[] {BigInteger.valueOf(Abi.TMY_AF_INET6), new BigInteger(1, InetAddresses.parse("2001:db8::7"))});
        List<Query> out = new ArrayList<>();
        for (BigInteger[] a : addrs) {
            int family = a[0].intValue();
            byte[] addr = InetAddresses.toBytes16(a[1], family);
            for (int i = 0; i < 4; i++) {
                int port = ports.get(rnd.nextInt(ports.size()));
                int want = 1 << rnd.nextInt(16);
                out.add(new Query(family, want, addr, port));
            }
        }
        return out;
    }
}
