package dev.tomoyoctl.policy;

/**
 * The path hash of tomoyo_abi.h: FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3) over
 * the raw path bytes, without a terminating NUL. Java names are TOMOYO-encoded, so {@link #of}
 * decodes first; the kernel hashes the raw bytes it sees.
 */
public final class PathHash {
    private PathHash() {}

    public static final long FNV64_OFFSET = 0xcbf29ce484222325L;
    public static final long FNV64_PRIME = 0x00000100000001b3L;

    /** Hash of a TOMOYO-encoded name (strict decoding: no pattern tokens). */
    public static long of(String encodedName) {
        return ofRaw(TomoyoName.decode(encodedName));
    }

    /** Hash of raw path bytes. */
    public static long ofRaw(byte[] raw) {
        return update(FNV64_OFFSET, raw, 0, raw.length);
    }

    /** Continues an FNV-1a 64 state over {@code raw[off, off+len)}. */
    public static long update(long state, byte[] raw, int off, int len) {
        long h = state;
        for (int i = off; i < off + len; i++) {
            h ^= raw[i] & 0xff;
            h *= FNV64_PRIME;
        }
        return h;
    }

    /** Continues an FNV-1a 64 state over the 8 little-endian bytes of {@code value}. */
    public static long updateLong(long state, long value) {
        long h = state;
        for (int i = 0; i < 8; i++) {
            h ^= (value >>> (8 * i)) & 0xff;
            h *= FNV64_PRIME;
        }
        return h;
    }

    /** 16 lower-case hex digits, as in the shared test vectors. */
    public static String hex(long h) {
        return String.format("%016x", h);
    }
}
