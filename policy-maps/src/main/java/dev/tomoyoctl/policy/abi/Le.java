package dev.tomoyoctl.policy.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian absolute reads and writes whatever the buffer's own byte order is (the ABI is
 * little-endian: the BPF target and x86-64/arm64 hosts are).
 */
final class Le {
    private Le() {}

    static ByteBuffer le(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    static void check(ByteBuffer b, int need, String what) {
        if (b.remaining() < need) {
            throw new IllegalArgumentException(what + " needs " + need + " bytes, " + b.remaining() + " remain");
        }
    }

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    static void checkU8(int v, String name) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(name + "=" + v + " does not fit a __u8");
        }
    }

    static void checkU16(int v, String name) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(name + "=" + v + " does not fit a __u16");
        }
    }

    /** A copy of a 16-byte address (null = all zero); other lengths are refused. */
    static byte[] addr16(byte[] addr, String name) {
        if (addr == null) {
            return new byte[16];
        }
        if (addr.length != 16) {
            throw new IllegalArgumentException(name + " has " + addr.length + " bytes, not 16");
        }
        return addr.clone();
    }

    static byte[] bytes(int size, java.util.function.Consumer<ByteBuffer> writer) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        writer.accept(b);
        return b.array();
    }
}
