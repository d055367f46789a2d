package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_aggregator_val.
 *
 * @param aggregated     path hash of the aggregated name
 * @param aggregatedRoot FNV-1a 64 over '&lt;' + aggregated name + '&gt;': the id of the namespace
 *                       root a reset_domain on the aggregated name jumps to
 */
public record TmyAggregatorVal(long aggregated, long aggregatedRoot) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_aggregator_val", SIZE, f("aggregated", 0, 8),
            f("aggregated_root", 8, 8));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_aggregator_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, aggregated);
        b.putLong(p + 8, aggregatedRoot);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyAggregatorVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_aggregator_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyAggregatorVal r = new TmyAggregatorVal(b.getLong(p), b.getLong(p + 8));
        in.position(p + SIZE);
        return r;
    }

    public static TmyAggregatorVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
