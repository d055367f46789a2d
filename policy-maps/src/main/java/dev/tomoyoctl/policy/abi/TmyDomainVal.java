package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_domain_val: value of hash map "tmy_domains".
 *
 * @param parent  id of the domain whose name is this one's minus its last word; 0 for a root or
 *                when unknown ("ipc signal" targets are matched by following these)
 * @param profile __u8
 * @param flags   TMY_DOMAIN_*
 * @param learned        __u32 quota counter: starts at the number of permission bits the domain's
 *                       policy has (as TOMOYO counts for max_learning_entry); the kernel adds one
 *                       per permission it learns and stops learning at max_learning_entry
 * @param subtreeDepths  bit d (d &lt; 31): the domain has a TMY_MATCH_SUBTREE rule whose prefix has
 *                       d+1 '/'; bit 31: some such prefix has 32 or more; 0 = exact lookups only
 * @param dfa            cell index of the domain's path automaton in tmy_dfa, 0 = none
 * @param conds          number of the domain's conditional rules in tmy_cond_rules
 * @param dfaUnix        cell index in tmy_dfa of the automaton of its "network unix" patterns, 0 = none
 */
public record TmyDomainVal(long parent, int profile, int flags, int learned, int subtreeDepths, int dfa, int conds,
                           int dfaUnix) {
    public static final int SIZE = 40;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_domain_val", SIZE, f("parent", 0, 8), f("profile", 8, 1),
            f("_pad", 9, 3), f("flags", 12, 4), f("learned", 16, 4), f("subtree_depths", 20, 4), f("dfa", 24, 4),
            f("conds", 28, 4), f("dfa_unix", 32, 4), f("_pad2", 36, 4));

    public TmyDomainVal {
        Le.checkU8(profile, "profile");
    }

    /** A domain without a path automaton. */
    public TmyDomainVal(long parent, int profile, int flags, int learned, int subtreeDepths) {
        this(parent, profile, flags, learned, subtreeDepths, 0, 0, 0);
    }

    /** The same value with the automaton at cell {@code dfa}. */
    public TmyDomainVal withDfa(int dfa) {
        return new TmyDomainVal(parent, profile, flags, learned, subtreeDepths, dfa, conds, dfaUnix);
    }

    /** The same value with {@code conds} conditional rules. */
    public TmyDomainVal withConds(int conds) {
        return new TmyDomainVal(parent, profile, flags, learned, subtreeDepths, dfa, conds, dfaUnix);
    }

    /** The same value with its unix address automaton at cell {@code dfaUnix}. */
    public TmyDomainVal withDfaUnix(int dfaUnix) {
        return new TmyDomainVal(parent, profile, flags, learned, subtreeDepths, dfa, conds, dfaUnix);
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_domain_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, parent);
        b.put(p + 8, (byte) profile);
        b.put(p + 9, (byte) 0).put(p + 10, (byte) 0).put(p + 11, (byte) 0);
        b.putInt(p + 12, flags);
        b.putInt(p + 16, learned);
        b.putInt(p + 20, subtreeDepths);
        b.putInt(p + 24, dfa);
        b.putInt(p + 28, conds);
        b.putInt(p + 32, dfaUnix);
        b.putInt(p + 36, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyDomainVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_domain_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyDomainVal r = new TmyDomainVal(b.getLong(p), Le.u8(b, p + 8), b.getInt(p + 12), b.getInt(p + 16),
                b.getInt(p + 20), b.getInt(p + 24), b.getInt(p + 28), b.getInt(p + 32));
        in.position(p + SIZE);
        return r;
    }

    public static TmyDomainVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** The subtree_depths bit of a prefix with {@code slashes} '/' characters (1 for "/"). */
    public static int depthBit(int slashes) {
        if (slashes < 1) {
            throw new IllegalArgumentException("a subtree prefix has at least one '/'");
        }
        return slashes >= 32 ? 1 << 31 : 1 << (slashes - 1);
    }
}
