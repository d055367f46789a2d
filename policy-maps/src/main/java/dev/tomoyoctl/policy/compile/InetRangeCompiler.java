package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The disjoint-interval compilation of a domain's inet range rules (tomoyo_abi.h, "Address
 * ranges and groups"): the rules of one family are cut into disjoint address intervals, each
 * carrying the union of the (port interval, permissions) of the rules covering it (a "port set":
 * disjoint port intervals with their permissions); adjacent intervals with equal port sets are
 * joined; equal port sets share one id. Address intervals become CIDR blocks of tmy_inet_ranges,
 * port sets CIDR blocks of the 16-bit port in tmy_port_sets.
 *
 * <p>Cost, for r range rules of one domain and family: sorting 2r address bounds, then for each
 * of the at most 2r-1 elementary intervals the port union of the rules active there (sorted
 * port events): O(r log r) when rules do not overlap, O(r^2 log r) worst case (every rule covers
 * every interval). Entries: each address interval is at most 2*bits-2 CIDR blocks (62 for IPv4,
 * 254 for IPv6), each port interval at most 30.
 */
public final class InetRangeCompiler {
    private InetRangeCompiler() {}

    /** One range rule: an address interval of one family, a port interval, TMY_NET_PERM bits. */
    public record RangeRule(int family, BigInteger lo, BigInteger hi, int portLo, int portHi, int perms) {}

    /** A port set: disjoint port intervals {lo, hi, perms} in increasing order, never empty. */
    public record PortSet(List<int[]> intervals) {
        /** A canonical text, used to recognise equal port sets. */
        public String key() {
            StringBuilder sb = new StringBuilder();
            for (int[] i : intervals) {
                sb.append(i[0]).append('-').append(i[1]).append(':').append(Integer.toHexString(i[2])).append(',');
            }
            return sb.toString();
        }

        /** The permissions granted for a port (0 if none). */
        public int perms(int port) {
            for (int[] i : intervals) {
                if (i[0] <= port && port <= i[1]) {
                    return i[2];
                }
            }
            return 0;
        }
    }

    /** A disjoint address interval of one family and its port set. */
    public record Interval(int family, BigInteger lo, BigInteger hi, PortSet ports) {}

    /** Disjoint intervals (sorted) of the rules of one family; gaps have no interval. */
    public static List<Interval> intervals(int family, List<RangeRule> rules) {
        List<Interval> out = new ArrayList<>();
        if (rules.isEmpty()) {
            return out;
        }
        // bound -> rules starting there (+) and ending just before it (-)
        TreeMap<BigInteger, List<Integer>> events = new TreeMap<>();
        for (int i = 0; i < rules.size(); i++) {
            RangeRule r = rules.get(i);
            events.computeIfAbsent(r.lo(), k -> new ArrayList<>()).add(i + 1);
            events.computeIfAbsent(r.hi().add(BigInteger.ONE), k -> new ArrayList<>()).add(-(i + 1));
        }
        boolean[] active = new boolean[rules.size()];
        int activeCount = 0;
        BigInteger start = null;
        for (Map.Entry<BigInteger, List<Integer>> e : events.entrySet()) {
            BigInteger at = e.getKey();
            if (start != null && activeCount > 0) {
                PortSet ps = portUnion(rules, active);
                if (!ps.intervals().isEmpty()) {
                    BigInteger hi = at.subtract(BigInteger.ONE);
                    Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
                    if (last != null && last.hi().add(BigInteger.ONE).equals(start)
                            && last.ports().key().equals(ps.key())) {
                        out.set(out.size() - 1, new Interval(family, last.lo(), hi, ps));
                    } else {
                        out.add(new Interval(family, start, hi, ps));
                    }
                }
            }
            for (int ev : e.getValue()) {
                boolean on = ev > 0;
                int idx = Math.abs(ev) - 1;
                if (active[idx] != on) {
                    active[idx] = on;
                    activeCount += on ? 1 : -1;
                }
            }
            start = at;
        }
        return out;
    }

    /** The port set of the active rules: sweep over port bounds, counting each permission bit. */
    static PortSet portUnion(List<RangeRule> rules, boolean[] active) {
        TreeMap<Integer, List<Integer>> events = new TreeMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (active[i]) {
                RangeRule r = rules.get(i);
                events.computeIfAbsent(r.portLo(), k -> new ArrayList<>()).add(i + 1);
                events.computeIfAbsent(r.portHi() + 1, k -> new ArrayList<>()).add(-(i + 1));
            }
        }
        int[] count = new int[32];
        List<int[]> out = new ArrayList<>();
        Integer start = null;
        for (Map.Entry<Integer, List<Integer>> e : events.entrySet()) {
            int at = e.getKey();
            if (start != null) {
                int perms = 0;
                for (int b = 0; b < 32; b++) {
                    if (count[b] > 0) {
                        perms |= 1 << b;
                    }
                }
                if (perms != 0) {
                    int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
                    if (last != null && last[1] + 1 == start && last[2] == perms) {
                        last[1] = at - 1;
                    } else {
                        out.add(new int[] {start, at - 1, perms});
                    }
                }
            }
            for (int ev : e.getValue()) {
                int perms = rules.get(Math.abs(ev) - 1).perms();
                for (int b = 0; b < 32; b++) {
                    if ((perms & (1 << b)) != 0) {
                        count[b] += ev > 0 ? 1 : -1;
                    }
                }
            }
            start = at;
        }
        return new PortSet(out);
    }

    /** CIDR blocks {base, prefix bits} covering exactly [lo, hi] in a space of {@code bits} bits. */
    public static List<Object[]> cidrBlocks(BigInteger lo, BigInteger hi, int bits) {
        List<Object[]> out = new ArrayList<>();
        BigInteger cur = lo;
        while (cur.compareTo(hi) <= 0) {
            // the largest block aligned at cur: trailing zero bits of cur (all bits for 0)
            int size = cur.signum() == 0 ? bits : cur.getLowestSetBit();
            BigInteger remaining = hi.subtract(cur).add(BigInteger.ONE);
            while (size > 0 && BigInteger.ONE.shiftLeft(size).compareTo(remaining) > 0) {
                size--;
            }
            out.add(new Object[] {cur, bits - size});
            cur = cur.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    /** tmy_inet_ranges entries of one domain's intervals, given the port set ids by key. */
    static void rangeEntries(long domain, int generation, List<Interval> intervals, Map<String, Integer> portSetIds,
                             Map<TmyInetRangeKey, TmyInetRangeVal> out) {
        for (Interval iv : intervals) {
            int bits = InetAddresses.bits(iv.family());
            TmyInetRangeVal val = new TmyInetRangeVal(portSetIds.get(iv.ports().key()));
            for (Object[] b : cidrBlocks(iv.lo(), iv.hi(), bits)) {
                out.put(TmyInetRangeKey.of(generation, domain, iv.family(),
                        InetAddresses.toBytes16((BigInteger) b[0], iv.family()), (int) b[1]), val);
            }
        }
    }

    /** tmy_port_sets entries of one port set. */
    static void portEntries(int generation, int id, PortSet ps, Map<TmyPortKey, TmyPortVal> out) {
        for (int[] i : ps.intervals()) {
            for (Object[] b : cidrBlocks(BigInteger.valueOf(i[0]), BigInteger.valueOf(i[1]), 16)) {
                out.put(TmyPortKey.of(generation, id, ((BigInteger) b[0]).intValue(), (int) b[1]), new TmyPortVal(i[2]));
            }
        }
    }

    /** The permissions the intervals grant at (family, address, port): 0 if none covers it. */
    static int permsAt(List<Interval> intervals, int family, BigInteger a, int port) {
        int lo = 0, hi = intervals.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Interval iv = intervals.get(mid);
            if (iv.hi().compareTo(a) < 0) {
                lo = mid + 1;
            } else if (iv.lo().compareTo(a) > 0) {
                hi = mid - 1;
            } else {
                return iv.family() == family ? iv.ports().perms(port) : 0;
            }
        }
        return 0;
    }
}
