package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * struct tmy_cond_rule: value of hash map "tmy_cond_rules": a file rule on an exact name with a
 * condition (tomoyo_abi.h "conditional rules").
 *
 * @param pathHash the name's hash
 * @param perms    TMY_PERM_* granted when every clause holds
 * @param clauses  1..TMY_COND_CLAUSES clauses
 */
public record TmyCondRule(long pathHash, int perms, List<Clause> clauses) {
    public static final int CLAUSE_SIZE = 36;
    public static final int SIZE = 16 + Abi.TMY_COND_CLAUSES * CLAUSE_SIZE;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_cond_rule", SIZE, f("path_hash", 0, 8),
            f("perms", 8, 4), f("nclauses", 12, 4), f("clause", 16, Abi.TMY_COND_CLAUSES * CLAUSE_SIZE));
    public static final AbiLayout CLAUSE_LAYOUT = AbiLayout.of("tmy_cond_clause", CLAUSE_SIZE, f("left", 0, 1),
            f("negate", 1, 1), f("right", 2, 1), f("nranges", 3, 1), f("lo", 4, 16), f("hi", 20, 16));

    /**
     * struct tmy_cond_clause.
     *
     * @param left   TMY_CV_*
     * @param negate "!="
     * @param right  TMY_CV_* to compare with, or 0 for the ranges
     * @param ranges {lo, hi} pairs (unsigned 32-bit values), 1..TMY_COND_RANGES when right == 0
     */
    public record Clause(int left, boolean negate, int right, List<long[]> ranges) {
        public Clause {
            if (left < 1 || left >= Abi.TMY_CV_MAX || right < 0 || right >= Abi.TMY_CV_MAX) {
                throw new IllegalArgumentException("bad condition variable");
            }
            if (right == 0 && (ranges.isEmpty() || ranges.size() > Abi.TMY_COND_RANGES)) {
                throw new IllegalArgumentException("1.." + Abi.TMY_COND_RANGES + " ranges per clause");
            }
            ranges = List.copyOf(ranges);
        }
    }

    public TmyCondRule {
        if (clauses.isEmpty() || clauses.size() > Abi.TMY_COND_CLAUSES) {
            throw new IllegalArgumentException("1.." + Abi.TMY_COND_CLAUSES + " clauses per conditional rule");
        }
        clauses = List.copyOf(clauses);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, out -> {
            ByteBuffer b = Le.le(out);
            int p = out.position();
            b.putLong(p, pathHash).putInt(p + 8, perms).putInt(p + 12, clauses.size());
            for (int i = 0; i < clauses.size(); i++) {
                Clause c = clauses.get(i);
                int q = p + 16 + i * CLAUSE_SIZE;
                b.put(q, (byte) c.left()).put(q + 1, (byte) (c.negate() ? 1 : 0)).put(q + 2, (byte) c.right())
                        .put(q + 3, (byte) c.ranges().size());
                for (int j = 0; j < c.ranges().size(); j++) {
                    b.putInt(q + 4 + 4 * j, (int) c.ranges().get(j)[0]);
                    b.putInt(q + 20 + 4 * j, (int) c.ranges().get(j)[1]);
                }
            }
            out.position(p + SIZE);
        });
    }
}
