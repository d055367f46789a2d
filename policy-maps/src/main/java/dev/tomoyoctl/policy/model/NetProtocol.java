package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/** Socket types of TOMOYO's network rules, numbered as enum tmy_net_proto of tomoyo_abi.h. */
public enum NetProtocol {
    STREAM("stream", Abi.TMY_NET_STREAM),
    DGRAM("dgram", Abi.TMY_NET_DGRAM),
    SEQPACKET("seqpacket", Abi.TMY_NET_SEQPACKET),
    RAW("raw", Abi.TMY_NET_RAW);

    private final String keyword;
    private final int index;

    NetProtocol(String keyword, int index) {
        this.keyword = keyword;
        this.index = index;
    }

    public String keyword() {
        return keyword;
    }

    /** enum tmy_net_proto. */
    public int index() {
        return index;
    }

    public static NetProtocol byKeyword(String s) {
        for (NetProtocol p : values()) {
            if (p.keyword.equals(s)) {
                return p;
            }
        }
        return null;
    }

    public static NetProtocol ofIndex(int index) {
        for (NetProtocol p : values()) {
            if (p.index == index) {
                return p;
            }
        }
        throw new IllegalArgumentException("no enum tmy_net_proto " + index);
    }

    /** Whether the family ("inet", "unix") has this socket type in TOMOYO's syntax. */
    public boolean validFor(String family) {
        return family.equals("inet") ? this != SEQPACKET : this != RAW;
    }

    /**
     * The {@link NetOp} bits TOMOYO ever checks for this socket type: bind, listen and connect on
     * stream/seqpacket sockets; bind and send on dgram/raw sockets (connect() on those is checked
     * as send).
     */
    public int checkedOps() {
        return this == STREAM || this == SEQPACKET ? NetOp.BIND.bit() | NetOp.LISTEN.bit() | NetOp.CONNECT.bit()
                : NetOp.BIND.bit() | NetOp.SEND.bit();
    }
}
