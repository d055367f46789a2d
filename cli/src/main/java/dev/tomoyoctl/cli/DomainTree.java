package dev.tomoyoctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders domain names as a tree: {@code "  1     /usr/bin/cat"} = profile 1, depth 2.
 *
 * <p>A domain's parent is its name without the last space-separated component (names are
 * TOMOYO-encoded, so a space only ever separates components). A domain whose parent is not in
 * the list is shown at the top level with its full name, so nothing is ever hidden.
 */
final class DomainTree {
    private DomainTree() {
    }

    record Domain(String name, int profile) {
    }

    static List<String> render(List<Domain> domains) {
        Map<String, Domain> byName = new TreeMap<>();
        for (Domain d : domains) {
            byName.put(d.name(), d);
        }
        Map<String, List<Domain>> children = new TreeMap<>();
        List<Domain> roots = new ArrayList<>();
        for (Domain d : byName.values()) {
            String parent = parent(d.name());
            if (parent != null && byName.containsKey(parent)) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(d);
            } else {
                roots.add(d);
            }
        }
        List<String> lines = new ArrayList<>();
        for (Domain root : roots) {
            walk(root, root.name(), 0, children, lines);
        }
        return lines;
    }

    private static void walk(Domain d, String label, int depth, Map<String, List<Domain>> children, List<String> out) {
        out.add(String.format("%3d %s%s", d.profile(), "  ".repeat(depth), label));
        for (Domain c : children.getOrDefault(d.name(), List.of())) {
            walk(c, c.name().substring(c.name().lastIndexOf(' ') + 1), depth + 1, children, out);
        }
    }

    static String parent(String name) {
        int sp = name.lastIndexOf(' ');
        return sp < 0 ? null : name.substring(0, sp);
    }
}
