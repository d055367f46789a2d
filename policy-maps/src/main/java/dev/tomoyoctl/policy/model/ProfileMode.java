package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/** TOMOYO's modes (tomoyo_mode[]), numbered as enum tmy_mode of tomoyo_abi.h. */
public enum ProfileMode {
    DISABLED("disabled", Abi.TMY_MODE_DISABLED),
    LEARNING("learning", Abi.TMY_MODE_LEARNING),
    PERMISSIVE("permissive", Abi.TMY_MODE_PERMISSIVE),
    ENFORCING("enforcing", Abi.TMY_MODE_ENFORCING);

    private final String keyword;
    private final int abi;

    ProfileMode(String keyword, int abi) {
        this.keyword = keyword;
        this.abi = abi;
    }

    public String keyword() {
        return keyword;
    }

    public int abiValue() {
        return abi;
    }

    public static ProfileMode byKeyword(String s) {
        for (ProfileMode m : values()) {
            if (m.keyword.equals(s)) {
                return m;
            }
        }
        return null;
    }

    public static ProfileMode ofAbi(int v) {
        return values()[v & 3];
    }
}
