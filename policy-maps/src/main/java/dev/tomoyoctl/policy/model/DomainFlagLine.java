package dev.tomoyoctl.policy.model;

import java.util.Objects;

/** {@code quota_exceeded} or {@code transition_failed}. */
public record DomainFlagLine(DomainFlag flag) implements DomainLine {
    public DomainFlagLine {
        Objects.requireNonNull(flag);
    }

    @Override
    public String text() {
        return flag.keyword();
    }
}
