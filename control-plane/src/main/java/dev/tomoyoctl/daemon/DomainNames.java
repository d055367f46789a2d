package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.model.Domain;

import java.util.HashMap;
import java.util.Map;

/**
 * Domain id -> TOMOYO domain name. The kernel knows domains only by id (a hash of the name);
 * names come from the policy (Java computes each id from its name) and from TMY_EV_DOMAIN events
 * (parent's name + " " + program).
 */
final class DomainNames {
    private final Map<Long, String> byId = new HashMap<>();

    static DomainNames of(PolicySet policy) {
        DomainNames n = new DomainNames();
        n.put(DomainId.KERNEL, DomainId.KERNEL_NAME);
        for (Domain d : policy.domainPolicy().domains()) {
            n.put(DomainId.of(d.name()), d.name());
        }
        return n;
    }

    void put(long id, String name) {
        byId.put(id, name);
    }

    void putIfAbsent(long id, String name) {
        byId.putIfAbsent(id, name);
    }

    void forEach(java.util.function.BiConsumer<Long, String> action) {
        byId.forEach(action);
    }

    String name(long id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }

    static String unknown(long id) {
        return "<unknown-domain-" + Long.toHexString(id) + ">";
    }
}
