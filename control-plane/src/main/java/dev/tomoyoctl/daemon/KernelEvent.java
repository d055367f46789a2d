package dev.tomoyoctl.daemon;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A record of the "tmy_events" ring buffer (tomoyo_abi.h: struct tmy_event_hdr, then
 * struct tmy_domain_event or struct tmy_access_event, then path_len bytes of path).
 */
public sealed interface KernelEvent {
    int TMY_EV_DOMAIN = 1;
    int TMY_EV_LEARN = 2;
    int TMY_EV_AUDIT = 3;

    /** sizeof(struct tmy_event_hdr). */
    int HDR_SIZE = 40;
    /** sizeof(struct tmy_domain_event) without the path. */
    int DOMAIN_EVENT_SIZE = HDR_SIZE + 24;
    /** sizeof(struct tmy_access_event) without the path. */
    int ACCESS_EVENT_SIZE = HDR_SIZE + 24;

    int TRANSITION_NONE = 0xff;

    int TMY_ACCESS_GRANTED = 1;
    int TMY_ACCESS_PATH_UNRESOLVED = 1 << 1;

    /** struct tmy_event_hdr. */
    record Header(int type, int size, long ktimeNs, long domain, int pid, int tid, int uid, int gid) {
    }

    Header hdr();

    /** TMY_EV_DOMAIN: a task entered a domain the kernel had not seen in this generation. */
    record DomainCreated(Header hdr, long parent, long program, int profile, int transition, byte[] path)
            implements KernelEvent {
    }

    /** TMY_EV_LEARN or TMY_EV_AUDIT: one access, with the one TMY_PERM_* bit asked for. */
    record Access(Header hdr, long object, int perm, int category, int mode, int profile, int flags, byte[] path)
            implements KernelEvent {
        public boolean granted() {
            return (flags & TMY_ACCESS_GRANTED) != 0;
        }

        public boolean pathUnresolved() {
            return (flags & TMY_ACCESS_PATH_UNRESOLVED) != 0;
        }

        public boolean isLearn() {
            return hdr.type() == TMY_EV_LEARN;
        }
    }

    /** A record that does not match the ABI; the message says which field is wrong. */
    final class MalformedEventException extends Exception {
        public MalformedEventException(String message) {
            super(message);
        }
    }

    /**
     * Decodes one ring-buffer sample (little-endian, as the BPF side writes it on x86-64).
     * Reads from the buffer's position to its limit; does not move the caller's position.
     */
    static KernelEvent decode(ByteBuffer sample) throws MalformedEventException {
        ByteBuffer b = sample.slice().order(ByteOrder.LITTLE_ENDIAN);
        int avail = b.remaining();
        if (avail < HDR_SIZE) {
            throw new MalformedEventException("record of " + avail + " bytes is shorter than tmy_event_hdr (" + HDR_SIZE + ")");
        }
        try {
            int type = Short.toUnsignedInt(b.getShort(0));
            int size = b.getInt(4);
            if (size < HDR_SIZE || size > avail) {
                throw new MalformedEventException("hdr.size " + Integer.toUnsignedString(size)
                        + " does not fit the " + avail + "-byte record");
            }
            Header h = new Header(type, size, b.getLong(8), b.getLong(16), b.getInt(24), b.getInt(28),
                    b.getInt(32), b.getInt(36));
            switch (type) {
                case TMY_EV_DOMAIN: {
                    need(size, DOMAIN_EVENT_SIZE, "tmy_domain_event");
                    long parent = b.getLong(40);
                    long program = b.getLong(48);
                    int profile = Byte.toUnsignedInt(b.get(56));
                    int transition = Byte.toUnsignedInt(b.get(57));
                    int pathLen = b.getInt(60);
                    return new DomainCreated(h, parent, program, profile, transition, path(b, DOMAIN_EVENT_SIZE, pathLen, size));
                }
                case TMY_EV_LEARN:
                case TMY_EV_AUDIT: {
                    need(size, ACCESS_EVENT_SIZE, "tmy_access_event");
                    long object = b.getLong(40);
                    int perm = b.getInt(48);
                    int category = Byte.toUnsignedInt(b.get(52));
                    int mode = Byte.toUnsignedInt(b.get(53));
                    int profile = Byte.toUnsignedInt(b.get(54));
                    int flags = Byte.toUnsignedInt(b.get(55));
                    int pathLen = b.getInt(56);
                    if (Integer.bitCount(perm) != 1) {
                        throw new MalformedEventException("perm 0x" + Integer.toHexString(perm) + " is not one TMY_PERM_* bit");
                    }
                    return new Access(h, object, perm, category, mode, profile, flags, path(b, ACCESS_EVENT_SIZE, pathLen, size));
                }
                default:
                    throw new MalformedEventException("unknown hdr.type " + type);
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedEventException("record truncated: " + e.getMessage());
        }
    }

    private static void need(int size, int fixed, String struct) throws MalformedEventException {
        if (size < fixed) {
            throw new MalformedEventException("hdr.size " + size + " is shorter than struct " + struct + " (" + fixed + ")");
        }
    }

    private static byte[] path(ByteBuffer b, int at, int pathLen, int size) throws MalformedEventException {
        if (pathLen < 0 || pathLen > size - at) {
            throw new MalformedEventException("path_len " + Integer.toUnsignedString(pathLen) + " exceeds the record ("
                    + (size - at) + " bytes left)");
        }
        byte[] p = new byte[pathLen];
        b.get(at, p);
        return p;
    }
}
