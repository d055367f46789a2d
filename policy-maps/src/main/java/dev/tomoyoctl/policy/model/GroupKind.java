package dev.tomoyoctl.policy.model;

/** The group directives of exception policy. */
public enum GroupKind {
    PATH("path_group"),
    NUMBER("number_group"),
    ADDRESS("address_group");

    private final String keyword;

    GroupKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static GroupKind byKeyword(String s) {
        for (GroupKind k : values()) {
            if (k.keyword.equals(s)) {
                return k;
            }
        }
        return null;
    }
}
