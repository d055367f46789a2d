package dev.tomoyoctl.policy.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * domain_policy.conf: lines before the first domain (blank/comment only) and the domains in file
 * order. Mutable, not thread-safe.
 */
public final class DomainPolicy {
    private final List<DomainLine> preamble;
    private final LinkedHashMap<String, Domain> domains = new LinkedHashMap<>();

    public DomainPolicy() {
        this(List.of(), List.of());
    }

    public DomainPolicy(List<DomainLine> preamble, List<Domain> domains) {
        for (DomainLine l : preamble) {
            if (!(l instanceof BlankLine) && !(l instanceof CommentLine)) {
                throw new IllegalArgumentException("only blank and comment lines may precede the first domain");
            }
        }
        this.preamble = new ArrayList<>(preamble);
        for (Domain d : domains) {
            if (this.domains.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("domain defined twice: " + d.name());
            }
        }
    }

    public List<DomainLine> preamble() {
        return Collections.unmodifiableList(preamble);
    }

    /** Domains in file order, unmodifiable. */
    public Collection<Domain> domains() {
        return Collections.unmodifiableCollection(domains.values());
    }

    public Domain domain(String name) {
        return domains.get(name);
    }

    public boolean contains(String name) {
        return domains.containsKey(name);
    }

    /** The domain, created at the end (profile {@code profile}) if it does not exist. */
    public Domain getOrCreate(String name, int profile) {
        Domain d = domains.get(name);
        if (d == null) {
            d = Domain.create(name, profile);
            domains.put(name, d);
        }
        return d;
    }

    public int size() {
        return domains.size();
    }

    /** The whole file. */
    public String print() {
        StringBuilder sb = new StringBuilder();
        for (DomainLine l : preamble) {
            sb.append(l.text()).append('\n');
        }
        for (Domain d : domains.values()) {
            sb.append(d.print());
        }
        return sb.toString();
    }

    /** Domains as a map in file order (read-only view). */
    public Map<String, Domain> asMap() {
        return Collections.unmodifiableMap(domains);
    }
}
