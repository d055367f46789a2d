package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/**
 * Domain transition control directives, in the order TOMOYO's tomoyo_transition_type() checks
 * them (and with the numbers of enum tmy_transition_type in tomoyo_abi.h).
 */
public enum TransitionType {
    NO_RESET("no_reset_domain", Abi.TMY_TR_NO_RESET),
    RESET("reset_domain", Abi.TMY_TR_RESET),
    NO_INITIALIZE("no_initialize_domain", Abi.TMY_TR_NO_INITIALIZE),
    INITIALIZE("initialize_domain", Abi.TMY_TR_INITIALIZE),
    NO_KEEP("no_keep_domain", Abi.TMY_TR_NO_KEEP),
    KEEP("keep_domain", Abi.TMY_TR_KEEP);

    private final String keyword;
    private final int abi;

    TransitionType(String keyword, int abi) {
        this.keyword = keyword;
        this.abi = abi;
    }

    public String keyword() {
        return keyword;
    }

    /** The enum tmy_transition_type value. */
    public int abiValue() {
        return abi;
    }

    /** keep_domain / no_keep_domain written without "from" name a domain, not a program. */
    public boolean isKeepFamily() {
        return this == KEEP || this == NO_KEEP;
    }

    public static TransitionType byKeyword(String s) {
        for (TransitionType t : values()) {
            if (t.keyword.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
