package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct tmy_dfa_block: one element of array map "tmy_dfa", 16 __u32 cells of the path automata
 * (tomoyo_abi.h "path automata"); the key is the block index (cell index / 16).
 */
public final class TmyDfaBlock {
    public static final int SIZE = 64;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_dfa_block", SIZE, f("cell", 0, 64));

    private TmyDfaBlock() {}

    /** The value bytes of a block holding {@code cells[from, from + 16)}. */
    public static byte[] toBytes(int[] cells, int from) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Abi.TMY_DFA_BLOCK_CELLS; i++) {
            b.putInt(from + i < cells.length ? cells[from + i] : 0);
        }
        return b.array();
    }
}
