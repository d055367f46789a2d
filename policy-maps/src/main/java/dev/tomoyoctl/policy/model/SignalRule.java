package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.TomoyoName;

/**
 * {@code ipc signal SIG TARGET_DOMAIN [CONDITION]} (TOMOYO 1.8): the domain may send signal SIG
 * to a process whose domain is TARGET_DOMAIN or below it (TARGET_DOMAIN is a prefix of the
 * target's domain name ending at a word boundary).
 *
 * @param signal       1..64
 * @param targetDomain a domain name ("&lt;kernel&gt; /usr/sbin/httpd")
 * @param condition    the condition part as written, "" if none
 */
public record SignalRule(int signal, String targetDomain, String condition) implements DomainLine {
    public static final int MAX_SIGNAL = 64;

    public SignalRule {
        if (signal < 1 || signal > MAX_SIGNAL) {
            throw new IllegalArgumentException("signal " + signal + " is not in 1.." + MAX_SIGNAL);
        }
        if (!TomoyoName.isCorrectDomain(targetDomain)) {
            throw new IllegalArgumentException("not a TOMOYO domain name: '" + targetDomain + "'");
        }
        condition = condition == null ? "" : condition;
    }

    public SignalRule(int signal, String targetDomain) {
        this(signal, targetDomain, "");
    }

    public boolean hasCondition() {
        return !condition.isEmpty();
    }

    /**
     * TOMOYO 1.8's match: the target domain's name equals {@link #targetDomain()} or starts with
     * it followed by a space.
     */
    public boolean covers(String domainName) {
        return domainName.equals(targetDomain)
                || domainName.startsWith(targetDomain) && domainName.charAt(targetDomain.length()) == ' ';
    }

    @Override
    public String text() {
        return "ipc signal " + signal + " " + targetDomain + (condition.isEmpty() ? "" : " " + condition);
    }
}
