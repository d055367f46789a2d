package dev.tomoyoctl.loader;

/**
 * Little-endian scalars as the kernel lays them out on the supported (little-endian) targets:
 * map keys such as an array index, counters, configuration globals.
 */
public final class Bytes {
    private Bytes() {}

    public static byte[] u32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    public static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    public static int getU32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static long getU64(byte[] b, int off) {
        return (getU32(b, off) & 0xffffffffL) | ((long) getU32(b, off + 4)) << 32;
    }
}
