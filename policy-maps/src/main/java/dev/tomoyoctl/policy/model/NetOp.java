package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/**
 * The network operations of TOMOYO 2.6, in its keyword order (bind/listen/connect/send, the
 * order merged operations are printed in) and numbered as enum tmy_net_op of tomoyo_abi.h.
 */
public enum NetOp {
    BIND("bind", Abi.TMY_NET_BIND),
    LISTEN("listen", Abi.TMY_NET_LISTEN),
    CONNECT("connect", Abi.TMY_NET_CONNECT),
    SEND("send", Abi.TMY_NET_SEND);

    /** Every op bit. */
    public static final int ALL = 0xf;

    private final String keyword;
    private final int abi;

    NetOp(String keyword, int abi) {
        this.keyword = keyword;
        this.abi = abi;
    }

    public String keyword() {
        return keyword;
    }

    /** enum tmy_net_op. */
    public int abiValue() {
        return abi;
    }

    /** This operation's bit in {@link NetworkRule#ops()}: 1 &lt;&lt; enum tmy_net_op. */
    public int bit() {
        return 1 << abi;
    }

    public static NetOp byKeyword(String s) {
        for (NetOp op : values()) {
            if (op.keyword.equals(s)) {
                return op;
            }
        }
        return null;
    }

    public static NetOp ofAbi(int op) {
        return values()[op];
    }

    /** "bind/listen" style text of an ops mask, in TOMOYO's order. */
    public static String keywords(int ops) {
        StringBuilder sb = new StringBuilder();
        for (NetOp op : values()) {
            if ((ops & op.bit()) != 0) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(op.keyword);
            }
        }
        return sb.toString();
    }
}
