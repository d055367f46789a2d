package dev.tomoyoctl.policy.model;

/** {@code PROFILE_VERSION=20150505}. TOMOYO 2.6 supports 20150505 (and converts 20110903). */
public record ProfileVersion(String namespace, long version) implements ProfileLine {
    public static final long CURRENT = 20150505L;
    public static final long CONVERTIBLE = 20110903L;

    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + "PROFILE_VERSION=" + version;
    }
}
