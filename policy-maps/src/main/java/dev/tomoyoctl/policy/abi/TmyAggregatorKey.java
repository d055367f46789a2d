package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/** struct tmy_aggregator_key: key of hash map "tmy_aggregators" (program = its path hash). */
public record TmyAggregatorKey(long program, int generation) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_aggregator_key", SIZE, f("program", 0, 8),
            f("generation", 8, 4), f("_pad", 12, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_aggregator_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, program);
        b.putInt(p + 8, generation);
        b.putInt(p + 12, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyAggregatorKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_aggregator_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyAggregatorKey r = new TmyAggregatorKey(b.getLong(p), b.getInt(p + 8));
        in.position(p + SIZE);
        return r;
    }

    public static TmyAggregatorKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
