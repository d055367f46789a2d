package dev.tomoyoctl.policy.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.NetworkGroups;
import dev.tomoyoctl.policy.NetworkMatcher;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.NetworkRule;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The compiled exact/LPM entries, read by the Java model of the kernel's lookup, grant exactly
 * what the reference matcher (TOMOYO's semantics from the rule text) grants, at every edge of the
 * generated ranges and groups.
 */
class NetworkAgreementProperties {

    @Provide
    Arbitrary<NetCases.Case> cases() {
        return NetCases.cases();
    }

    @Property(tries = 400)
    void compiledEntriesGrantWhatTheReferenceMatcherGrants(@ForAll("cases") NetCases.Case c, @ForAll long seed)
            throws Exception {
        PolicySet set = PolicySet.parse(c.domainPolicy(), c.exceptionPolicy(), "");
        int generation = 5;
        CompiledPolicy compiled = PolicyCompiler.compile(set, generation);
        long id = DomainId.of(NetCases.DOMAIN);
        List<NetworkRule> rules = set.domain(NetCases.DOMAIN).lines().stream()
                .filter(l -> l instanceof NetworkRule).map(l -> (NetworkRule) l).toList();
        NetworkGroups groups = NetworkGroups.of(set.exceptionPolicy());
        for (NetCases.Query q : NetCases.queries(c, seed)) {
            int expected = NetworkMatcher.granted(rules, groups, q.family(), q.want(), q.addr16(), q.port());
            int model = KernelLookupModel.granted(compiled, id, generation, q.family(), q.want(), q.addr16(), q.port());
            assertThat(model).as("%s under %s / %s", q, c.rules(), c.groups()).isEqualTo(expected);
        }
    }

    @Property(tries = 100)
    void compileDomainGivesTheSameEntriesAsTheWholeCompile(@ForAll("cases") NetCases.Case c) throws Exception {
        PolicySet set = PolicySet.parse(c.domainPolicy() + "<kernel> /other\n" + String.join("\n", c.rules()) + "\n",
                c.exceptionPolicy(), "");
        CompiledPolicy whole = PolicyCompiler.compile(set, 9);
        var one = PolicyCompiler.compileDomain(set, NetCases.DOMAIN, 9);
        assertThat(whole.inetRules()).containsAllEntriesOf(one.inetRules());
        assertThat(whole.inetRanges()).containsAllEntriesOf(one.inetRanges());
        assertThat(whole.portSets()).containsAllEntriesOf(one.portSets());
        assertThat(whole.domains()).containsEntry(one.key(), one.value());
    }
}
