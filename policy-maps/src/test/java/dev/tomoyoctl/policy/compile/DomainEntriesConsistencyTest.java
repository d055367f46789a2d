package dev.tomoyoctl.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The daemon pushes one domain again after learning (PolicyCompiler.compileDomain) into the
 * generation a whole-policy compile wrote. Range rules point at port sets by id, so a domain
 * compiled alone must produce exactly the entries the whole compile produced for it: the same
 * port-set ids, no other domain's sets renumbered. Several domains with ranges, shared and
 * distinct port sets, in an order where a per-domain numbering would differ.
 */
class DomainEntriesConsistencyTest {
    static final int G = 7;

    @Test
    void aDomainCompiledAloneGivesTheEntriesOfTheWholeCompile() throws Exception {
        PolicySet set = PolicySet.parse("""
                <kernel> /a
                use_profile 3

                network inet stream connect 10.0.0.0-10.0.0.255 8000-8999
                network inet dgram send 10.0.1.0-10.0.1.9 53

                <kernel> /b
                use_profile 3

                network inet stream connect 192.168.0.0-192.168.255.255 443
                network inet stream connect 10.0.0.0-10.0.0.255 8000-8999
                file read /etc/hosts

                <kernel> /c
                use_profile 3

                network inet stream connect ::1-::ff @PORTS
                network inet stream connect 127.0.0.1 7001
                capability net_bind_service
                """, """
                number_group PORTS 7000-7099
                number_group PORTS 9000
                """, ProfilePolicy.tomoyoDefault().print());
        CompiledPolicy whole = PolicyCompiler.compile(set, G);
        for (String name : List.of("<kernel> /c", "<kernel> /a", "<kernel> /b")) {
            DomainEntries alone = PolicyCompiler.compileDomain(set, name, G);
            assertThat(alone.value()).as(name).isEqualTo(whole.domains().get(alone.key()));
            Map<String, List<MapEntry>> mine = alone.mapEntries();
            Map<String, List<MapEntry>> all = whole.mapEntries();
            for (Map.Entry<String, List<MapEntry>> e : mine.entrySet()) {
                assertThat(all.get(e.getKey())).as(name + " " + e.getKey()).containsAll(e.getValue());
            }
            assertThat(alone.inetRanges()).as(name + " has range entries").isNotEmpty();
        }
        // port sets referenced by the ranges all exist in the whole compile
        whole.inetRanges().values().forEach(v -> assertThat(whole.portSets().keySet())
                .anyMatch(k -> k.portSet() == v.portSet()));
    }
}
