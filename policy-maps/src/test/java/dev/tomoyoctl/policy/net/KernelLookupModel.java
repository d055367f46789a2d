package dev.tomoyoctl.policy.net;

import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;
import dev.tomoyoctl.policy.compile.CompiledPolicy;

import java.util.Map;

/**
 * A Java model of the kernel's inet lookup over the compiled map entries, working on the encoded
 * key bytes the way an LPM trie does: the exact hash lookup in tmy_inet_rules; if that does not
 * grant the bit and the domain has TMY_DOMAIN_INET_RANGES, the longest matching prefix in
 * tmy_inet_ranges gives a port set, and the longest matching prefix in tmy_port_sets for
 * (port set, port) gives the permissions.
 */
public final class KernelLookupModel {
    private KernelLookupModel() {}

    public static int granted(CompiledPolicy c, long domain, int generation, int family, int want, byte[] addr16,
                              int port) {
        TmyDomainVal dv = c.domains().get(new dev.tomoyoctl.policy.abi.TmyDomainKey(domain, generation));
        TmyPathVal exact = c.inetRules().get(new TmyInetKey(domain, generation, family, port, addr16));
        int granted = exact == null ? 0 : exact.perms() & want;
        if (granted == want || dv == null || (dv.flags() & Abi.TMY_DOMAIN_INET_RANGES) == 0) {
            return granted;
        }
        int addrBits = family == Abi.TMY_AF_INET ? 32 : 128;
        byte[] akey = TmyInetRangeKey.of(generation, domain, family, addr16, addrBits).toBytes();
        TmyInetRangeVal set = lpm(c.inetRanges(), akey, k -> k.toBytes());
        if (set == null) {
            return granted;
        }
        byte[] pkey = TmyPortKey.of(generation, set.portSet(), port, 16).toBytes();
        TmyPortVal pv = lpm(c.portSets(), pkey, k -> k.toBytes());
        return granted | (pv == null ? 0 : pv.perms() & want);
    }

    /** Longest-prefix match of a full-length key among entries (prefixlen = first __u32 LE). */
    static <K, V> V lpm(Map<K, V> entries, byte[] key, java.util.function.Function<K, byte[]> enc) {
        V best = null;
        int bestLen = -1;
        int keyLen = prefixlen(key);
        for (Map.Entry<K, V> e : entries.entrySet()) {
            byte[] k = enc.apply(e.getKey());
            int len = prefixlen(k);
            if (len > keyLen || len <= bestLen) {
                continue;
            }
            if (prefixEquals(k, key, len)) {
                best = e.getValue();
                bestLen = len;
            }
        }
        return best;
    }

    static int prefixlen(byte[] k) {
        return (k[0] & 0xff) | (k[1] & 0xff) << 8 | (k[2] & 0xff) << 16 | (k[3] & 0xff) << 24;
    }

    /** The first {@code bits} bits of the data (after the 4-byte prefixlen), most significant first. */
    static boolean prefixEquals(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int byteIdx = 4 + i / 8, shift = 7 - i % 8;
            if (((a[byteIdx] >> shift) & 1) != ((b[byteIdx] >> shift) & 1)) {
                return false;
            }
        }
        return true;
    }
}
