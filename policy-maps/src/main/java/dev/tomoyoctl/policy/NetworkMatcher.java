package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.model.NetOp;
import dev.tomoyoctl.policy.model.NetProtocol;
import dev.tomoyoctl.policy.model.NetworkRule;

import java.math.BigInteger;
import java.util.List;

/**
 * The reference for what TOMOYO 2.6 grants an inet access (tomoyo_check_inet_acl): a domain's
 * rule matches when its protocol is the socket's, its operations include the one checked (an
 * operation TOMOYO never checks for that protocol, like connect on dgram, never matches), the
 * address is the rule's address, within its range, or within a member of its address_group of
 * the same family, and the port is the rule's, within its range or a member of its number_group.
 * Written from the rule text, independently of the compiler, so that tests can hold the compiled
 * map entries against it. Rules with a condition are not considered (their grant depends on the
 * task; the compiler does not compile them).
 */
public final class NetworkMatcher {
    private NetworkMatcher() {}

    /**
     * @param family   TMY_AF_INET or TMY_AF_INET6
     * @param protocol enum tmy_net_proto
     * @param op       enum tmy_net_op
     * @param addr16   16 bytes, network order, IPv4 in the first 4
     * @param port     0..65535 (raw: the protocol number)
     */
    public static boolean grants(List<NetworkRule> rules, NetworkGroups groups, int family, int protocol, int op,
                                 byte[] addr16, int port) {
        BigInteger a = InetAddresses.toInteger(addr16, family);
        NetProtocol proto = NetProtocol.ofIndex(protocol);
        int opBit = NetOp.ofAbi(op).bit();
        if ((proto.checkedOps() & opBit) == 0) {
            return false;
        }
        for (NetworkRule r : rules) {
            if (!r.isInet() || r.hasCondition() || r.protocol() != proto || (r.ops() & opBit) == 0) {
                continue;
            }
            if (addressMatches(r.address(), groups, family, a) && portMatches(r.port(), groups, port)) {
                return true;
            }
        }
        return false;
    }

    /** The TMY_NET_PERM bits granted among {@code want}. */
    public static int granted(List<NetworkRule> rules, NetworkGroups groups, int family, int want, byte[] addr16,
                              int port) {
        int out = 0;
        for (int bit = 0; bit < 16; bit++) {
            if ((want & (1 << bit)) != 0 && grants(rules, groups, family, bit / 4, bit % 4, addr16, port)) {
                out |= 1 << bit;
            }
        }
        return out;
    }

    static boolean addressMatches(String address, NetworkGroups groups, int family, BigInteger a) {
        if (address.startsWith("@")) {
            List<InetAddresses.Range> members = groups.addressGroup(address.substring(1));
            if (members == null) {
                return false;
            }
            for (InetAddresses.Range m : members) {
                if (m.contains(family, a)) {
                    return true;
                }
            }
            return false;
        }
        return InetAddresses.parseRange(address).contains(family, a);
    }

    static boolean portMatches(String port, NetworkGroups groups, int p) {
        if (port.startsWith("@")) {
            List<long[]> members = groups.numberGroup(port.substring(1));
            if (members == null) {
                return false;
            }
            for (long[] m : members) {
                if (Long.compareUnsigned(m[0], p) <= 0 && Long.compareUnsigned(p, m[1]) <= 0) {
                    return true;
                }
            }
            return false;
        }
        long[] r = NumberUnion.parse(port);
        return Long.compareUnsigned(r[0], p) <= 0 && Long.compareUnsigned(p, r[1]) <= 0;
    }
}
