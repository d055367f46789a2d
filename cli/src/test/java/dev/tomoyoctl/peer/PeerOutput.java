package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The output of a peer scenario (one boot with the kernel's TOMOYO and ours): sections after
 * "@@NAME@@" markers, and the "CASE: OK" / "CASE: ERR message" lines the workloads print.
 */
final class PeerOutput {
    private PeerOutput() {}

    /** The text after "@@name@@" up to the next marker (or the end). Fails if there is none. */
    static String section(String out, String name) {
        int i = out.indexOf("@@" + name + "@@\n");
        assertThat(i).as("section " + name + " in\n" + out).isGreaterThanOrEqualTo(0);
        int j = out.indexOf("@@", i + name.length() + 5);
        return out.substring(i + name.length() + 5, j < 0 ? out.length() : j);
    }

    /**
     * CASE -> "OK", "EPERM" (the message says "Operation not permitted") or the message, for the
     * lines "CASE: ..." whose CASE is one of the workload's (a refused exec makes the shell print
     * more lines, which are not cases).
     */
    static Map<String, String> results(String section, Predicate<String> isCase) {
        Map<String, String> m = new TreeMap<>();
        for (String l : section.split("\n")) {
            int c = l.indexOf(": ");
            if (c > 0 && isCase.test(l.substring(0, c))) {
                String v = l.substring(c + 2);
                m.put(l.substring(0, c), v.equals("OK") ? "OK" : v.contains("Operation not permitted") ? "EPERM" : v);
            }
        }
        return m;
    }
}
