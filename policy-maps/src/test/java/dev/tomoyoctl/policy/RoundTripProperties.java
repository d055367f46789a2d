package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** print(parse(x)) == x for canonical x, and parse gives back the same model. */
class RoundTripProperties {

    @Provide
    Arbitrary<DomainPolicy> domains() {
        return PolicyArbitraries.domainPolicy();
    }

    @Provide
    Arbitrary<ExceptionPolicy> exceptions() {
        return PolicyArbitraries.exceptionPolicy();
    }

    @Provide
    Arbitrary<ProfilePolicy> profiles() {
        return PolicyArbitraries.profilePolicy();
    }

    @Property(tries = 300)
    void domainPolicyRoundTrips(@ForAll("domains") DomainPolicy model) throws Exception {
        String text = model.print();
        DomainPolicy parsed = PolicyParser.parseDomainPolicy("d", text);
        assertThat(parsed.print()).isEqualTo(text);
        assertThat(parsed.preamble()).isEqualTo(model.preamble());
        List<Domain> a = List.copyOf(model.domains()), b = List.copyOf(parsed.domains());
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).name()).isEqualTo(a.get(i).name());
            assertThat(b.get(i).lines()).isEqualTo(a.get(i).lines());
        }
    }

    @Property(tries = 300)
    void exceptionPolicyRoundTrips(@ForAll("exceptions") ExceptionPolicy model) throws Exception {
        String text = model.print();
        ExceptionPolicy parsed = PolicyParser.parseExceptionPolicy("e", text);
        assertThat(parsed.lines()).isEqualTo(model.lines());
        assertThat(parsed.print()).isEqualTo(text);
    }

    @Property(tries = 300)
    void profilePolicyRoundTrips(@ForAll("profiles") ProfilePolicy model) throws Exception {
        String text = model.print();
        ProfilePolicy parsed = PolicyParser.parseProfilePolicy("p", text);
        assertThat(parsed.lines()).isEqualTo(model.lines());
        assertThat(parsed.print()).isEqualTo(text);
    }

    @Property(tries = 100)
    void wholePolicySetRoundTripsAndCompiles(@ForAll("domains") DomainPolicy d, @ForAll("exceptions") ExceptionPolicy e,
                                             @ForAll("profiles") ProfilePolicy p) throws Exception {
        PolicySet set = PolicySet.parse(d.print(), e.print(), p.print());
        assertThat(set.printDomainPolicy()).isEqualTo(d.print());
        assertThat(set.printExceptionPolicy()).isEqualTo(e.print());
        assertThat(set.printProfiles()).isEqualTo(p.print());
        // Compiling never fails on a parsed policy; every warning names an existing line.
        var compiled = dev.tomoyoctl.policy.compile.PolicyCompiler.compile(set, 1);
        int domainLines = d.print().split("\n", -1).length - 1;
        int exceptionLines = e.print().split("\n", -1).length - 1;
        for (PolicyWarning w : compiled.warnings()) {
            int max = switch (w.file()) {
                case PolicySet.DOMAIN_POLICY -> domainLines;
                case PolicySet.EXCEPTION_POLICY -> exceptionLines;
                default -> p.lines().size();
            };
            assertThat(w.line()).as(w.toString()).isBetween(0, max);
        }
    }
}
