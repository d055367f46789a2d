package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.model.AclGroupRule;
import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.OtherAcl;
import dev.tomoyoctl.policy.model.SignalRule;
import dev.tomoyoctl.policy.model.TransitionControl;

/**
 * Which lines TOMOYO 2.6's tools accept, and how the others are kept beside them.
 *
 * <p>Debian's tomoyo-tools (2.6) check policy with the 2.6 grammar: {@code tomoyo-checkpolicy}
 * rejects the TOMOYO 1.8 directives tomoyoctl enforces ({@code capability NAME}, {@code ipc signal
 * ...}), the other 1.8-only {@code ipc}/{@code task} directives, and network operations that 2.6
 * does not check for a socket type ({@code network inet dgram connect}: TOMOYO checks connect()
 * on a datagram socket as "send"; such a line never matches but was written by someone, so it is
 * kept). So that domain_policy.conf and exception_policy.conf stay pure TOMOYO 2.6 (loadable by
 * tomoyo-loadpolicy, editable by tomoyo-editpolicy), those lines are saved into
 * {@value #DOMAIN_FILE} and {@value #EXCEPTION_FILE}: the same block format (a domain name line,
 * then the domain's lines; for the exception file, {@code acl_group N RULE} lines), loaded back
 * and merged into the same domains. A network rule that mixes both kinds of operations is split
 * (the 2.6 operations stay in domain_policy.conf).
 */
public final class Tomoyo18Lines {
    private Tomoyo18Lines() {}

    /** Domain lines TOMOYO 2.6 rejects, per domain. */
    public static final String DOMAIN_FILE = "domain_policy.tomoyo18.conf";
    /** acl_group lines whose rule TOMOYO 2.6 rejects. */
    public static final String EXCEPTION_FILE = "exception_policy.tomoyo18.conf";

    /** First lines of a saved side file (comments: dropped on load, written again on save). */
    static final String DOMAIN_HEADER = "# Lines of domain_policy.conf that TOMOYO 2.6 (tomoyo-checkpolicy, tomoyo-loadpolicy)\n"
            + "# does not accept: TOMOYO 1.8 directives (capability, ipc signal) and network operations\n"
            + "# TOMOYO 2.6 does not check for that socket type. tomoyoctl loads them into the same domains.\n";
    static final String EXCEPTION_HEADER = "# acl_group lines of exception_policy.conf that TOMOYO 2.6 does not accept\n"
            + "# (TOMOYO 1.8 directives). tomoyoctl loads them with exception_policy.conf.\n";

    /**
     * An ACL line cut into the part TOMOYO 2.6 accepts and the part it does not; either may be
     * null (not both).
     */
    public record Split(DomainLine tomoyo26, DomainLine tomoyo18) {}

    /** Splits one domain line (non-ACL lines are all 2.6). */
    public static Split split(DomainLine l) {
        if (l instanceof CapabilityRule || l instanceof SignalRule) {
            return new Split(null, l);
        }
        if (l instanceof OtherAcl o && isTomoyo18Keyword(o.keyword())) {
            return new Split(null, l);
        }
        if (l instanceof NetworkRule n) {
            int bad = n.neverMatchingOps();
            if (bad != 0) {
                int good = n.ops() & ~bad;
                NetworkRule keep = good == 0 ? null
                        : new NetworkRule(n.family(), n.protocol(), good, n.address(), n.port(), n.condition());
                NetworkRule rest = new NetworkRule(n.family(), n.protocol(), bad, n.address(), n.port(), n.condition());
                return new Split(keep, rest);
            }
        }
        return new Split(l, null);
    }

    /**
     * The ipc and task directives of TOMOYO 1.8 (ipc signal, ipc pivot_root..., task
     * auto_domain_transition, task auto_execute_handler, task denied_execute_handler); 2.6 has
     * only {@code task manual_domain_transition}.
     */
    static boolean isTomoyo18Keyword(String keyword) {
        return keyword.startsWith("ipc ") || (keyword.startsWith("task ") && !keyword.equals("task manual_domain_transition"));
    }

    /** Whether TOMOYO 2.6 accepts the whole line. */
    public static boolean isTomoyo26(DomainLine l) {
        return split(l).tomoyo18() == null;
    }

    /** [domain_policy.conf, domain_policy.tomoyo18.conf or null if no domain has such lines]. */
    static String[] printDomains(DomainPolicy policy) {
        StringBuilder main = new StringBuilder();
        StringBuilder side = new StringBuilder();
        for (DomainLine l : policy.preamble()) {
            main.append(l.text()).append('\n');
        }
        for (Domain d : policy.domains()) {
            main.append(d.name()).append('\n');
            StringBuilder mine = new StringBuilder();
            for (DomainLine l : d.lines()) {
                Split s = split(l);
                if (s.tomoyo26() != null) {
                    main.append(s.tomoyo26().text()).append('\n');
                }
                if (s.tomoyo18() != null) {
                    mine.append(s.tomoyo18().text()).append('\n');
                }
            }
            if (mine.length() > 0) {
                side.append('\n').append(d.name()).append('\n').append(mine);
            }
        }
        return new String[] {main.toString(), side.length() == 0 ? null : DOMAIN_HEADER + side};
    }

    /**
     * [exception_policy.conf, exception_policy.tomoyo18.conf or null]. Also writes
     * {@code keep_domain DOMAIN} (a form the kernel accepts and tomoyo-checkpolicy rejects) as
     * {@code keep_domain any from DOMAIN}, which is how TOMOYO itself prints it and means the same.
     */
    static String[] printExceptions(ExceptionPolicy policy) {
        StringBuilder main = new StringBuilder();
        StringBuilder side = new StringBuilder();
        for (ExceptionLine l : policy.lines()) {
            if (l instanceof AclGroupRule g) {
                Split s = split(g.rule());
                if (s.tomoyo26() != null) {
                    main.append(new AclGroupRule(g.namespace(), g.group(), s.tomoyo26()).text()).append('\n');
                }
                if (s.tomoyo18() != null) {
                    side.append(new AclGroupRule(g.namespace(), g.group(), s.tomoyo18()).text()).append('\n');
                }
            } else if (l instanceof TransitionControl t && !t.hasFrom() && t.type().isKeepFamily()) {
                main.append(new TransitionControl(t.namespace(), t.type(), null, t.domain(), true).text()).append('\n');
            } else {
                main.append(l.text()).append('\n');
            }
        }
        return new String[] {main.toString(), side.length() == 0 ? null : EXCEPTION_HEADER + side};
    }
}
