package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.TomoyoName;

/**
 * {@code initialize_domain}, {@code no_initialize_domain}, {@code keep_domain},
 * {@code no_keep_domain}, {@code reset_domain}, {@code no_reset_domain}, as parsed by
 * tomoyo_write_transition_control():
 * <ul>
 * <li>{@code TYPE PROGRAM from DOMAIN}: PROGRAM is a path or "any", DOMAIN is a full domain name,
 *     a last program name (a path: matches domains whose last word equals it) or "any";</li>
 * <li>{@code keep_domain DOMAIN} / {@code no_keep_domain DOMAIN} without "from": any program;</li>
 * <li>other types without "from": {@code TYPE PROGRAM}, from any domain.</li>
 * </ul>
 * TOMOYO itself always prints the "from" form; both forms are kept as written.
 *
 * @param namespace namespace prefix or null (&lt;kernel&gt;)
 * @param program   program path, or null for "any"
 * @param domain    domain name or last name, or null for "any"
 * @param hasFrom   whether the line was written with " from "
 */
public record TransitionControl(String namespace, TransitionType type, String program, String domain,
                                boolean hasFrom) implements ExceptionLine {
    public TransitionControl {
        if (program != null && !TomoyoName.isCorrectPath(program)) {
            throw new IllegalArgumentException("program must be a path or \"any\": '" + program + "'");
        }
        if (domain != null && !TomoyoName.isCorrectDomain(domain) && !TomoyoName.isCorrectPath(domain)) {
            throw new IllegalArgumentException("not a domain name or program path: '" + domain + "'");
        }
        if (!hasFrom && (type.isKeepFamily() ? program != null : domain != null)) {
            throw new IllegalArgumentException(type.keyword() + " without \"from\" cannot name "
                    + (type.isKeepFamily() ? "a program" : "a domain"));
        }
    }

    /** The domain part names a last program name (a path), not a whole domain. */
    public boolean isLastName() {
        return domain != null && !domain.startsWith("<");
    }

    @Override
    public String text() {
        String prog = program == null ? "any" : program;
        String dom = domain == null ? "any" : domain;
        String body = hasFrom ? prog + " from " + dom : (type.isKeepFamily() ? dom : prog);
        return ExceptionLine.prefix(namespace) + type.keyword() + " " + body;
    }
}
