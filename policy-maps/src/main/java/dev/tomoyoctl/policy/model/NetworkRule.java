package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.InetAddresses;
import dev.tomoyoctl.policy.NumberUnion;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;

/**
 * {@code network inet PROTOCOL OPS ADDRESS PORT [CONDITION]} and
 * {@code network unix PROTOCOL OPS ADDRESS [CONDITION]} (TOMOYO 2.6). TOMOYO keeps one entry per
 * (family, protocol, address, port, condition) and merges operations into it, printing them
 * joined by '/' in bind/listen/connect/send order.
 *
 * @param family    "inet" or "unix"
 * @param protocol  stream/dgram/raw for inet, stream/dgram/seqpacket for unix
 * @param ops       {@link NetOp} bits, never 0
 * @param address   inet: an address as TOMOYO prints it, "A-B" (one family, A &lt;= B) or
 *                  "@GROUP"; unix: a TOMOYO-encoded name ("anonymous" for an unnamed socket,
 *                  "\000..." for an abstract one) or "@GROUP" (a path_group)
 * @param port      inet: "N", "MIN-MAX" (0..65535; decimal, 0octal or 0xhex) or "@GROUP"; unix: ""
 * @param condition the condition part as written, "" if none
 */
public record NetworkRule(String family, NetProtocol protocol, int ops, String address, String port,
                          String condition) implements DomainLine {
    public static final String INET = "inet";
    public static final String UNIX = "unix";
    /** TOMOYO's name of an unnamed unix socket. */
    public static final String ANONYMOUS = "anonymous";

    public NetworkRule {
        condition = condition == null ? "" : condition;
        port = port == null ? "" : port;
        String bad = problem(family, protocol, ops, address, port);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    public NetworkRule(String family, NetProtocol protocol, int ops, String address, String port) {
        this(family, protocol, ops, address, port, "");
    }

    /**
     * What is wrong with these fields, naming the field, or null if they make a rule. An inet
     * address must be in the form TOMOYO prints ({@link InetAddresses#canonical}).
     */
    public static String problem(String family, NetProtocol protocol, int ops, String address, String port) {
        if (!INET.equals(family) && !UNIX.equals(family)) {
            return "network family must be inet or unix, not '" + family + "'";
        }
        if (protocol == null || !protocol.validFor(family)) {
            return "protocol " + (protocol == null ? "null" : protocol.keyword()) + " is not one of network "
                    + family + (family.equals(INET) ? " (stream, dgram, raw)" : " (stream, dgram, seqpacket)");
        }
        if (ops == 0 || (ops & ~NetOp.ALL) != 0) {
            return "invalid network operation mask " + ops;
        }
        if (address == null || address.isEmpty()) {
            return "missing address";
        }
        if (address.startsWith("@")) {
            if (address.length() < 2 || !TomoyoName.isCorrectWord(address.substring(1))) {
                return "bad group name '" + address + "'";
            }
        } else if (family.equals(INET)) {
            String a = addressProblem(address);
            if (a != null) {
                return a;
            }
        } else if (!isUnixAddress(address)) {
            return "bad unix address '" + address + "' (a TOMOYO-encoded name or anonymous)";
        }
        if (family.equals(UNIX)) {
            return port == null || port.isEmpty() ? null : "a unix rule has no port";
        }
        if (port == null || port.isEmpty()) {
            return "missing port";
        }
        if (port.startsWith("@")) {
            return port.length() >= 2 && TomoyoName.isCorrectWord(port.substring(1)) ? null
                    : "bad group name '" + port + "'";
        }
        try {
            NumberUnion.parsePort(port);
        } catch (IllegalArgumentException e) {
            return "bad port: " + e.getMessage();
        }
        return null;
    }

    /**
     * A unix address word: "anonymous", or a TOMOYO word in which \000 (a NUL byte, how TOMOYO
     * writes an abstract address's first byte) is also allowed. TOMOYO 2.6's own parser refuses
     * \000 in words, so it cannot load the rules its learning writes for abstract sockets; we
     * accept them.
     */
    public static boolean isUnixAddress(String address) {
        if (address.equals(ANONYMOUS)) {
            return true;
        }
        StringBuilder sb = new StringBuilder(address.length());
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\\' && i + 1 < address.length() && address.charAt(i + 1) == '\\') {
                sb.append("\\\\");
                i++;
            } else if (c == '\\' && address.startsWith("000", i + 1)) {
                sb.append("\\001"); // any byte TOMOYO escapes stands in for the NUL
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return TomoyoName.isCorrectWord(sb.toString());
    }

    /** What is wrong with an inet address field "A" or "A-B" (not a group), or null. */
    static String addressProblem(String address) {
        InetAddresses.Range r;
        try {
            r = InetAddresses.parseRange(address);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!r.text().equals(address)) {
            return "address '" + address + "' is not written as TOMOYO prints it ('" + r.text() + "')";
        }
        return null;
    }

    /**
     * The rule learning records for one access the kernel reported (struct tmy_net_event).
     *
     * @param family   TMY_AF_INET, TMY_AF_INET6 or TMY_AF_UNIX
     * @param perm     one TMY_NET_PERM() bit
     * @param addr16   inet: 16 bytes, network order, IPv4 in the first 4 (ignored for unix)
     * @param port     inet: host order (ignored for unix)
     * @param unixAddr unix: the raw address bytes, empty for an unnamed socket (ignored for inet)
     */
    public static NetworkRule ofEvent(int family, int perm, byte[] addr16, int port, byte[] unixAddr) {
        if (Integer.bitCount(perm) != 1 || (perm & 0xffff) == 0) {
            throw new IllegalArgumentException("perm " + Integer.toHexString(perm) + " is not one TMY_NET_PERM bit");
        }
        int bit = Integer.numberOfTrailingZeros(perm);
        NetProtocol protocol = NetProtocol.ofIndex(bit / 4);
        int ops = NetOp.ofAbi(bit % 4).bit();
        return switch (family) {
            case Abi.TMY_AF_INET, Abi.TMY_AF_INET6 -> new NetworkRule(INET, protocol, ops,
                    InetAddresses.format(addr16, family == Abi.TMY_AF_INET6), Integer.toString(port & 0xffff), "");
            case Abi.TMY_AF_UNIX -> new NetworkRule(UNIX, protocol, ops,
                    unixAddr == null || unixAddr.length == 0 ? ANONYMOUS : TomoyoName.encode(unixAddr), "", "");
            default -> throw new IllegalArgumentException("address family " + family);
        };
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder(64).append("network ").append(family).append(' ')
                .append(protocol.keyword()).append(' ').append(NetOp.keywords(ops)).append(' ').append(address);
        if (!port.isEmpty()) {
            sb.append(' ').append(port);
        }
        if (!condition.isEmpty()) {
            sb.append(' ').append(condition);
        }
        return sb.toString();
    }

    /** The same rule with more operations (TOMOYO's merge of an entry with the same key). */
    public NetworkRule withOps(int more) {
        return new NetworkRule(family, protocol, ops | more, address, port, condition);
    }

    public boolean isInet() {
        return family.equals(INET);
    }

    public boolean hasCondition() {
        return !condition.isEmpty();
    }

    /** The ops of this rule TOMOYO never checks for its protocol (the rule never matches them). */
    public int neverMatchingOps() {
        return ops & ~protocol.checkedOps();
    }

    /** TMY_NET_PERM() bits of the ops that can match. */
    public int tmyPerms() {
        int perms = 0;
        for (NetOp op : NetOp.values()) {
            if ((ops & protocol.checkedOps() & op.bit()) != 0) {
                perms |= Abi.tmyNetPerm(protocol.index(), op.abiValue());
            }
        }
        return perms;
    }

    /** The same-entry key TOMOYO merges by: everything but the operations. */
    public String mergeKey() {
        return family + ' ' + protocol.keyword() + ' ' + address + ' ' + port + ' ' + condition;
    }
}
