package dev.tomoyoctl.policy.model;

/**
 * A profile line of the form {@code N-KEY=VALUE} with a key TOMOYO 2.6 does not know (TOMOYO 1.8
 * and AKARI have more), kept verbatim and reported as not enforced.
 */
public record OtherProfileLine(String namespace, int profile, String text) implements ProfileLine {
}
