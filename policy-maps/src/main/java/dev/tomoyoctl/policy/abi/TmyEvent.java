package dev.tomoyoctl.policy.abi;

import dev.tomoyoctl.policy.TomoyoName;

import java.nio.ByteBuffer;

/** A decoded ring-buffer record of "tmy_events". */
public sealed interface TmyEvent permits TmyDomainEvent, TmyAccessEvent, TmyNetEvent, TmyCapEvent,
        TmySignalEvent {

    TmyEventHdr hdr();

    /** The raw path bytes that end the record (empty for records without one: cap, signal). */
    byte[] path();

    /** The path in TOMOYO's encoding (as it appears in policy). */
    default String pathName() {
        return TomoyoName.encode(path());
    }

    /**
     * Decodes one ring-buffer sample (the bytes the BPF program committed: header, fixed part,
     * path). Checks hdr.type, that hdr.size fits in the sample, and that path_len fits in
     * hdr.size and in {@link Abi#TMY_PATH_MAX}.
     *
     * @throws IllegalArgumentException naming what is inconsistent
     */
    static TmyEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }

    /** Decodes the sample in {@code buf[position, limit)}; the position is not moved. */
    static TmyEvent decode(ByteBuffer buf) {
        if (buf.remaining() < TmyEventHdr.SIZE) {
            throw new IllegalArgumentException("sample of " + buf.remaining() + " bytes is shorter than tmy_event_hdr");
        }
        int type = Le.u16(Le.le(buf), buf.position());
        return switch (type) {
            case Abi.TMY_EV_DOMAIN -> TmyDomainEvent.decode(buf);
            case Abi.TMY_EV_LEARN, Abi.TMY_EV_AUDIT -> TmyAccessEvent.decode(buf);
            case Abi.TMY_EV_NET_LEARN, Abi.TMY_EV_NET_AUDIT -> TmyNetEvent.decode(buf);
            case Abi.TMY_EV_CAP_LEARN, Abi.TMY_EV_CAP_AUDIT -> TmyCapEvent.decode(buf);
            case Abi.TMY_EV_SIGNAL_LEARN, Abi.TMY_EV_SIGNAL_AUDIT -> TmySignalEvent.decode(buf);
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
    }

    /** Checks hdr.size and path_len of a record whose fixed part is {@code fixedSize} bytes. */
    static void checkSizes(TmyEventHdr hdr, int fixedSize, long pathLen, int available, String what) {
        long size = Integer.toUnsignedLong(hdr.size());
        if (pathLen > Abi.TMY_PATH_MAX) {
            throw new IllegalArgumentException(what + ": path_len " + pathLen + " exceeds TMY_PATH_MAX");
        }
        if (size < fixedSize + pathLen) {
            throw new IllegalArgumentException(what + ": hdr.size " + size + " < " + fixedSize + " + path_len "
                    + pathLen);
        }
        if (size > available) {
            throw new IllegalArgumentException(what + ": hdr.size " + size + " exceeds the " + available
                    + "-byte sample");
        }
    }
}
