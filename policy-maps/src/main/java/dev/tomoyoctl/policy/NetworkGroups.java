package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.GroupKind;
import dev.tomoyoctl.policy.model.GroupMember;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The address_group and number_group members of the &lt;kernel&gt; namespace of an exception
 * policy, parsed (a group may have many lines; members of both families may be mixed). Members
 * that do not parse are skipped (the parser refuses them, so this only happens for models built
 * by hand).
 */
public final class NetworkGroups {
    private final Map<String, List<InetAddresses.Range>> addresses = new HashMap<>();
    private final Map<String, List<long[]>> numbers = new HashMap<>();

    private NetworkGroups() {}

    public static final NetworkGroups EMPTY = new NetworkGroups();

    public static NetworkGroups of(ExceptionPolicy policy) {
        NetworkGroups g = new NetworkGroups();
        for (ExceptionLine l : policy.lines()) {
            if (!(l instanceof GroupMember m) || !m.effectiveNamespace().equals(DomainId.KERNEL_NAME)) {
                continue;
            }
            try {
                if (m.kind() == GroupKind.ADDRESS) {
                    g.addresses.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(InetAddresses.parseRange(m.member()));
                } else if (m.kind() == GroupKind.NUMBER) {
                    g.numbers.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(NumberUnion.parse(m.member()));
                }
            } catch (IllegalArgumentException e) {
                // refused by the parser; a hand-built model's bad member matches nothing
            }
        }
        return g;
    }

    /** The members of an address_group, or null if it is not defined. */
    public List<InetAddresses.Range> addressGroup(String name) {
        List<InetAddresses.Range> l = addresses.get(name);
        return l == null ? null : Collections.unmodifiableList(l);
    }

    /** The members of a number_group as {lo, hi} (unsigned), or null if it is not defined. */
    public List<long[]> numberGroup(String name) {
        List<long[]> l = numbers.get(name);
        return l == null ? null : Collections.unmodifiableList(l);
    }
}
