package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.compile.EffectiveProfiles;
import dev.tomoyoctl.policy.model.Aggregator;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;

import java.util.Objects;

/**
 * Java reference of TOMOYO 2.6's domain transition on execve (tomoyo_find_next_domain(),
 * tomoyo_transition_type(), tomoyo_scan_transition(), tomoyo_assign_domain() in
 * security/tomoyo/domain.c): what the kernel side implements with tmy_transitions and
 * tmy_aggregators, and what tests compare it with.
 *
 * <p>Order of the decision:
 * <ol>
 * <li>aggregator: the first aggregator line of the current namespace whose original name
 *     (possibly a pattern) matches the program gives the candidate name, else the program;</li>
 * <li>the execute permission is checked against the candidate; if it was granted by a rule, the
 *     candidate becomes that rule's name (a pattern if a pattern matched) - pass it as
 *     {@code matchedExecuteName};</li>
 * <li>transition type: for each of no_reset, reset, no_initialize, initialize, no_keep, keep in
 *     that order, the first line of that type that matches wins; a line matches when its program
 *     is "any" or equals the candidate exactly (no pattern matching), and its domain part is
 *     "any", or equals the current domain name, or (a path) equals the current domain's last
 *     word. no_reset matching skips reset; no_initialize matching skips initialize; any other
 *     match ends the scan. reset, initialize and keep act; no_keep and no match give a child;</li>
 * <li>target: reset -&gt; "&lt;candidate&gt;" (root of a namespace, exec refused if it cannot be
 *     entered); initialize -&gt; "&lt;namespace&gt; candidate"; keep -&gt; the current domain;
 *     otherwise "current candidate";</li>
 * <li>an existing target is entered if its profile is defined; a missing one is created with the
 *     current domain's profile unless its name is invalid (e.g. a candidate not starting with '/'),
 *     too long (&gt;= 4086 bytes) or in another namespace;</li>
 * <li>failure: the exec fails (ENOMEM) for reset or when the current domain's file::execute mode
 *     is enforcing; otherwise the task stays in its domain and the domain gets transition_failed.</li>
 * </ol>
 */
public final class DomainTransition {
    private DomainTransition() {}

    public enum Result {
        /** The task is in {@link Outcome#domain()} after the exec. */
        TRANSITED,
        /** The transition failed; the exec goes on in the old domain (transition_failed). */
        STAYED_TRANSITION_FAILED,
        /** The transition failed and the exec is refused (ENOMEM in TOMOYO). */
        EXEC_DENIED
    }

    /**
     * @param domain    the domain after the exec (the old one unless TRANSITED)
     * @param requested the domain name TOMOYO computed (the old name for keep)
     * @param candidate the program name used (after aggregator / matched execute rule)
     * @param applied   the transition type that decided (RESET, INITIALIZE, KEEP), or null for an
     *                  ordinary child (no match or no_keep)
     * @param created   the target did not exist and is created
     * @param profile   the profile of {@code domain}
     */
    public record Outcome(String domain, String requested, String candidate, TransitionType applied, Result result,
                          boolean created, int profile) {
        /** tmy_domain_event.transition: 0xff for an ordinary child, else the type applied. */
        public int abiTransition() {
            return applied == null ? dev.tomoyoctl.policy.abi.Abi.TMY_TRANSITION_CHILD : applied.abiValue();
        }
    }

    /** The aggregated name for {@code program} in {@code namespace}, or {@code program} itself. */
    public static String aggregate(ExceptionPolicy exceptions, String namespace, String program) {
        for (ExceptionLine l : exceptions.lines()) {
            if (l instanceof Aggregator a && l.effectiveNamespace().equals(namespace)
                    && PathPattern.matches(program, a.original())) {
                return a.aggregated();
            }
        }
        return program;
    }

    /**
     * tomoyo_transition_type(): the type found (RESET, INITIALIZE, NO_KEEP, KEEP) or null if none.
     * Only reset, initialize and keep change the outcome.
     */
    public static TransitionType transitionType(ExceptionPolicy exceptions, String domainName, String program) {
        String namespace = TomoyoName.namespaceOf(domainName);
        String lastName = TomoyoName.lastWord(domainName);
        TransitionType[] types = TransitionType.values();
        int type = 0;
        while (type < types.length) {
            if (!scan(exceptions, namespace, domainName, program, lastName, types[type])) {
                type++;
                continue;
            }
            if (types[type] != TransitionType.NO_RESET && types[type] != TransitionType.NO_INITIALIZE) {
                break;
            }
            type += 2; // no_reset skips reset; no_initialize skips initialize
        }
        return type < types.length ? types[type] : null;
    }

    /** tomoyo_scan_transition(). */
    private static boolean scan(ExceptionPolicy exceptions, String namespace, String domainName, String program,
                                String lastName, TransitionType type) {
        for (ExceptionLine l : exceptions.lines()) {
            if (!(l instanceof TransitionControl t) || t.type() != type || !l.effectiveNamespace().equals(namespace)) {
                continue;
            }
            if (t.domain() != null) {
                if (!t.isLastName() ? !t.domain().equals(domainName) : !t.domain().equals(lastName)) {
                    continue;
                }
            }
            if (t.program() != null && !t.program().equals(program)) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** {@link #decide(PolicySet, String, int, String, String)} for a domain defined in the policy. */
    public static Outcome decide(PolicySet policy, String currentDomain, String program) {
        Domain d = policy.domain(currentDomain);
        if (d == null) {
            throw new IllegalArgumentException("domain '" + currentDomain + "' is not in the policy; "
                    + "pass its profile explicitly");
        }
        return decide(policy, currentDomain, d.profile(), program, null);
    }

    /**
     * The whole decision for a task in {@code currentDomain} (with {@code currentProfile})
     * executing {@code program} (TOMOYO-encoded name of the executed file).
     *
     * @param matchedExecuteName the name of the "file execute" rule that granted the exec (may be a
     *                           pattern), or null if none granted it (learning, disabled, ...)
     */
    public static Outcome decide(PolicySet policy, String currentDomain, int currentProfile, String program,
                                 String matchedExecuteName) {
        Objects.requireNonNull(program);
        ExceptionPolicy ex = policy.exceptionPolicy();
        String namespace = TomoyoName.namespaceOf(currentDomain);
        String candidate = aggregate(ex, namespace, program);
        if (matchedExecuteName != null) {
            candidate = matchedExecuteName;
        }
        TransitionType type = transitionType(ex, currentDomain, candidate);
        TransitionType applied = null;
        boolean rejectOnFailure = false;
        String requested;
        if (type == TransitionType.RESET) {
            requested = "<" + candidate + ">";
            rejectOnFailure = true;
            applied = type;
        } else if (type == TransitionType.INITIALIZE) {
            requested = namespace + " " + candidate;
            applied = type;
        } else if (type == TransitionType.KEEP) {
            return new Outcome(currentDomain, currentDomain, candidate, type, Result.TRANSITED, false, currentProfile);
        } else {
            requested = currentDomain + " " + candidate;
        }
        // snprintf(ee->tmp, TOMOYO_EXEC_TMPSIZE - 1, ...) keeps at most 4094 bytes.
        if (requested.length() > TomoyoName.EXEC_TMPSIZE - 2) {
            requested = requested.substring(0, TomoyoName.EXEC_TMPSIZE - 2);
        }
        Domain target = requested.length() < TomoyoName.MAX_DOMAIN_NAME_LENGTH ? policy.domain(requested) : null;
        if (target != null) {
            EffectiveProfiles p = EffectiveProfiles.of(policy.profilePolicy(), target.namespace());
            if (p.isDefined(target.profile())) {
                return new Outcome(requested, requested, candidate, applied, Result.TRANSITED, false, target.profile());
            }
        } else if (requested.length() < TomoyoName.MAX_DOMAIN_NAME_LENGTH && TomoyoName.isCorrectDomain(requested)
                && TomoyoName.namespaceOf(requested).equals(namespace)) {
            return new Outcome(requested, requested, candidate, applied, Result.TRANSITED, true, currentProfile);
        }
        ProfileMode execMode = EffectiveProfiles.of(policy.profilePolicy(), namespace)
                .mode(currentProfile, "file", "execute");
        Result r = rejectOnFailure || execMode == ProfileMode.ENFORCING ? Result.EXEC_DENIED
                : Result.STAYED_TRANSITION_FAILED;
        return new Outcome(currentDomain, requested, candidate, applied, r, false, currentProfile);
    }
}
