package dev.tomoyoctl.policy.model;

/** The domain flags TOMOYO 2.6 prints (tomoyo_dif[] in security/tomoyo/common.c). */
public enum DomainFlag {
    /** Learning stopped because max_learning_entry was reached. */
    QUOTA_EXCEEDED("quota_exceeded"),
    /** A domain transition from this domain failed once (logged once). */
    TRANSITION_FAILED("transition_failed");

    private final String keyword;

    DomainFlag(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static DomainFlag byKeyword(String s) {
        for (DomainFlag f : values()) {
            if (f.keyword.equals(s)) {
                return f;
            }
        }
        return null;
    }
}
