package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/** struct tmy_aggregator_val: the path hash of the aggregated name. */
public record TmyAggregatorVal(long aggregated) {
    public static final int SIZE = 8;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_aggregator_val", SIZE, f("aggregated", 0, 8));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_aggregator_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, aggregated);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyAggregatorVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_aggregator_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyAggregatorVal r = new TmyAggregatorVal(b.getLong(p));
        in.position(p + SIZE);
        return r;
    }

    public static TmyAggregatorVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
