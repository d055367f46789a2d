package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.DomainTransition.Outcome;
import dev.tomoyoctl.policy.DomainTransition.Result;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAggregatorKey;
import dev.tomoyoctl.policy.abi.TmyAggregatorVal;
import dev.tomoyoctl.policy.abi.TmyTransitionKey;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;

import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The reference of TOMOYO's transition decision, on the cases of TOMOYO's documentation. */
class DomainTransitionTest {
    static final String PROFILES = ProfilePolicy.tomoyoDefault().print();

    static PolicySet policy(String domains, String exceptions) throws Exception {
        return PolicySet.parse(domains, exceptions, PROFILES);
    }

    static Outcome run(PolicySet p, String domain, int profile, String program) {
        return DomainTransition.decide(p, domain, profile, program, null);
    }

    @Test
    void withoutRulesTheChildDomainIsCreatedWithTheParentsProfile() throws Exception {
        PolicySet p = policy("<kernel>\n<kernel> /sbin/init\nuse_profile 1\n", "");
        Outcome o = DomainTransition.decide(p, "<kernel> /sbin/init", "/bin/sh");
        assertThat(o).isEqualTo(new Outcome("<kernel> /sbin/init /bin/sh", "<kernel> /sbin/init /bin/sh", "/bin/sh", null,
                Result.TRANSITED, true, 1));
        assertThat(o.abiTransition()).isEqualTo(Abi.TMY_TRANSITION_CHILD);
    }

    @Test
    void anExistingDomainKeepsItsOwnProfile() throws Exception {
        PolicySet p = policy("<kernel> /sbin/init\nuse_profile 1\n<kernel> /sbin/init /bin/sh\nuse_profile 3\n", "");
        assertThat(DomainTransition.decide(p, "<kernel> /sbin/init", "/bin/sh").profile()).isEqualTo(3);
    }

    @Test
    void initializeDomainRestartsBelowTheNamespaceRoot() throws Exception {
        // "initialize_domain /usr/sbin/sshd": all executions of sshd go to "<kernel> /usr/sbin/sshd".
        PolicySet p = policy("", "initialize_domain /usr/sbin/sshd\n");
        Outcome o = run(p, "<kernel> /sbin/init /etc/init.d/ssh", 1, "/usr/sbin/sshd");
        assertThat(o.domain()).isEqualTo("<kernel> /usr/sbin/sshd");
        assertThat(o.applied()).isEqualTo(TransitionType.INITIALIZE);
        assertThat(o.abiTransition()).isEqualTo(Abi.TMY_TR_INITIALIZE);
    }

    @Test
    void noInitializeFromALastNameCancelsInitialize() throws Exception {
        // The documentation's sendmail example.
        PolicySet p = policy("", """
                initialize_domain /usr/sbin/sendmail.sendmail
                no_initialize_domain /usr/sbin/sendmail.sendmail from /bin/mail
                """);
        assertThat(run(p, "<kernel> /usr/bin/cron /bin/mail", 1, "/usr/sbin/sendmail.sendmail").domain())
                .isEqualTo("<kernel> /usr/bin/cron /bin/mail /usr/sbin/sendmail.sendmail");
        assertThat(run(p, "<kernel> /usr/bin/cron", 1, "/usr/sbin/sendmail.sendmail").domain())
                .isEqualTo("<kernel> /usr/sbin/sendmail.sendmail");
    }

    @Test
    void keepDomainKeepsEveryProgramOfThatDomain() throws Exception {
        PolicySet p = policy("", "keep_domain <kernel> /usr/sbin/sshd /bin/bash\n");
        Outcome o = run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/bin/ls");
        assertThat(o.domain()).isEqualTo("<kernel> /usr/sbin/sshd /bin/bash");
        assertThat(o.applied()).isEqualTo(TransitionType.KEEP);
        assertThat(run(p, "<kernel> /usr/sbin/sshd", 1, "/bin/bash").domain())
                .isEqualTo("<kernel> /usr/sbin/sshd /bin/bash");
    }

    @Test
    void keepDomainForOneProgramFromADomain() throws Exception {
        PolicySet p = policy("", "keep_domain /usr/bin/passwd from <kernel> /usr/sbin/sshd /bin/bash\n");
        assertThat(run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/usr/bin/passwd").domain())
                .isEqualTo("<kernel> /usr/sbin/sshd /bin/bash");
        assertThat(run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/bin/ls").domain())
                .isEqualTo("<kernel> /usr/sbin/sshd /bin/bash /bin/ls");
    }

    @Test
    void noKeepDomainWinsOverKeepAndGivesAChild() throws Exception {
        PolicySet p = policy("", """
                keep_domain <kernel> /usr/sbin/sshd /bin/bash
                no_keep_domain /usr/bin/passwd from <kernel> /usr/sbin/sshd /bin/bash
                """);
        Outcome o = run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/usr/bin/passwd");
        assertThat(o.domain()).isEqualTo("<kernel> /usr/sbin/sshd /bin/bash /usr/bin/passwd");
        assertThat(o.applied()).isNull();
        assertThat(DomainTransition.transitionType(p.exceptionPolicy(), "<kernel> /usr/sbin/sshd /bin/bash",
                "/usr/bin/passwd")).isEqualTo(TransitionType.NO_KEEP);
        assertThat(run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/bin/ls").applied()).isEqualTo(TransitionType.KEEP);
    }

    @Test
    void keepDomainByLastNameMatchesAnyDomainEndingWithIt() throws Exception {
        PolicySet p = policy("", "keep_domain /bin/bash\n");
        assertThat(run(p, "<kernel> /usr/sbin/sshd /bin/bash", 1, "/bin/ls").applied()).isEqualTo(TransitionType.KEEP);
        assertThat(run(p, "<kernel> /bin/bash /bin/ls", 1, "/bin/cat").applied()).isNull();
        assertThat(run(p, "<kernel>", 0, "/bin/bash").domain()).isEqualTo("<kernel> /bin/bash");
    }

    @Test
    void programsCompareLiterallyNotAsPatterns() throws Exception {
        PolicySet p = policy("", "initialize_domain /usr/bin/\\* from any\n");
        assertThat(run(p, "<kernel> /a", 1, "/usr/bin/ls").applied()).isNull();
        // ... but a domain named after a matched execute pattern does match.
        Outcome o = DomainTransition.decide(p, "<kernel> /a", 1, "/usr/bin/ls", "/usr/bin/\\*");
        assertThat(o.domain()).isEqualTo("<kernel> /usr/bin/\\*");
    }

    @Test
    void resetDomainJumpsToTheRootOfANamespaceThatMustExist() throws Exception {
        String ex = "reset_domain /usr/sbin/httpd from any\n";
        PolicySet without = policy("", ex);
        Outcome o = run(without, "<kernel> /sbin/init", 1, "/usr/sbin/httpd");
        assertThat(o.result()).isEqualTo(Result.EXEC_DENIED);
        assertThat(o.domain()).isEqualTo("<kernel> /sbin/init");
        assertThat(o.requested()).isEqualTo("</usr/sbin/httpd>");

        PolicySet with = PolicySet.parse("</usr/sbin/httpd>\nuse_profile 2\n", ex,
                PROFILES + "</usr/sbin/httpd> 2-CONFIG={ mode=permissive }\n");
        Outcome ok = run(with, "<kernel> /sbin/init", 1, "/usr/sbin/httpd");
        assertThat(ok).isEqualTo(new Outcome("</usr/sbin/httpd>", "</usr/sbin/httpd>", "/usr/sbin/httpd",
                TransitionType.RESET, Result.TRANSITED, false, 2));
        // A root whose profile is not defined in its namespace cannot be entered.
        PolicySet noProfile = policy("</usr/sbin/httpd>\nuse_profile 2\n", ex);
        assertThat(run(noProfile, "<kernel> /sbin/init", 1, "/usr/sbin/httpd").result()).isEqualTo(Result.EXEC_DENIED);
    }

    @Test
    void noResetSkipsResetButNotInitialize() throws Exception {
        PolicySet p = policy("", """
                reset_domain /usr/sbin/httpd
                no_reset_domain /usr/sbin/httpd from <kernel> /etc/init.d/httpd
                initialize_domain /usr/sbin/httpd
                """);
        assertThat(run(p, "<kernel> /etc/init.d/httpd", 1, "/usr/sbin/httpd").domain())
                .isEqualTo("<kernel> /usr/sbin/httpd");
        assertThat(run(p, "<kernel> /other", 1, "/usr/sbin/httpd").applied()).isEqualTo(TransitionType.RESET);
    }

    @Test
    void noInitializeStillLetsKeepApply() throws Exception {
        PolicySet p = policy("", "initialize_domain /bin/x\nno_initialize_domain /bin/x from /bin/sh\nkeep_domain any from /bin/sh\n");
        assertThat(run(p, "<kernel> /bin/sh", 1, "/bin/x").applied()).isEqualTo(TransitionType.KEEP);
    }

    @Test
    void namespacesUseTheirOwnExceptionPolicy() throws Exception {
        PolicySet p = PolicySet.parse("</usr/sbin/httpd>\nuse_profile 0\n", """
                initialize_domain /usr/bin/php
                </usr/sbin/httpd> initialize_domain /usr/bin/perl
                """, PROFILES + "</usr/sbin/httpd> 0-COMMENT=x\n");
        assertThat(run(p, "</usr/sbin/httpd> /bin/sh", 0, "/usr/bin/perl").domain())
                .isEqualTo("</usr/sbin/httpd> /usr/bin/perl");
        assertThat(run(p, "</usr/sbin/httpd> /bin/sh", 0, "/usr/bin/php").domain())
                .isEqualTo("</usr/sbin/httpd> /bin/sh /usr/bin/php");
    }

    @Test
    void aggregatorRenamesTheProgramFirstMatchWins() throws Exception {
        PolicySet p = policy("", """
                aggregator /usr/bin/tac /usr/bin/cat
                aggregator /etc/rc\\?.d/\\?\\+\\+smb /etc/init.d/smb
                aggregator /etc/rc3.d/S20smb /etc/init.d/never
                initialize_domain /etc/init.d/smb
                """);
        Outcome o = run(p, "<kernel> /bin/sh", 1, "/usr/bin/tac");
        assertThat(o.domain()).isEqualTo("<kernel> /bin/sh /usr/bin/cat");
        assertThat(o.candidate()).isEqualTo("/usr/bin/cat");
        assertThat(run(p, "<kernel> /sbin/init", 1, "/etc/rc3.d/S20smb").domain()).isEqualTo("<kernel> /etc/init.d/smb");
    }

    @Test
    void invalidDomainNamesFailAndEnforcingRefusesTheExec() throws Exception {
        // Without "aggregator proc:/self/exe /proc/self/exe", the name is not a path: no domain.
        PolicySet p = policy("", "");
        Outcome learning = run(p, "<kernel> /bin/app", 1, "proc:/self/exe");
        assertThat(learning.result()).isEqualTo(Result.STAYED_TRANSITION_FAILED);
        assertThat(learning.domain()).isEqualTo("<kernel> /bin/app");
        assertThat(run(p, "<kernel> /bin/app", 3, "proc:/self/exe").result()).isEqualTo(Result.EXEC_DENIED);
        PolicySet fixed = policy("", "aggregator proc:/self/exe /proc/self/exe\n");
        assertThat(run(fixed, "<kernel> /bin/app", 3, "proc:/self/exe").domain()).isEqualTo("<kernel> /bin/app /proc/self/exe");
    }

    @Test
    void namesOf4086BytesOrMoreCannotBeCreated() throws Exception {
        PolicySet p = policy("", "");
        String parent = "<kernel> /" + "p".repeat(4000);
        Outcome ok = run(p, parent, 1, "/" + "q".repeat(4086 - parent.length() - 3));
        assertThat(ok.requested()).hasSize(4085);
        assertThat(ok.result()).isEqualTo(Result.TRANSITED);
        Outcome tooLong = run(p, parent, 1, "/" + "q".repeat(4086 - parent.length() - 2));
        assertThat(tooLong.requested()).hasSize(4086);
        assertThat(tooLong.result()).isEqualTo(Result.STAYED_TRANSITION_FAILED);
    }

    // ---- the compiled maps decide the same transition type as the reference ----

    static final List<String> PROGRAMS = List.of("/bin/sh", "/bin/bash", "/usr/bin/passwd", "/usr/sbin/sshd");
    static final List<String> DOMAINS = List.of("<kernel>", "<kernel> /bin/sh", "<kernel> /usr/sbin/sshd /bin/bash",
            "<kernel> /bin/bash", "<kernel> /bin/bash /usr/bin/passwd");

    @Provide
    Arbitrary<List<ExceptionLine>> rules() {
        Arbitrary<String> prog = Arbitraries.of(PROGRAMS).injectNull(0.3);
        Arbitrary<String> from = Arbitraries.oneOf(Arbitraries.of(DOMAINS), Arbitraries.of(PROGRAMS)).injectNull(0.3);
        return Combinators.combine(Arbitraries.of(TransitionType.class), prog, from)
                .as((t, p, f) -> (ExceptionLine) new TransitionControl(null, t, p, f, true)).list().ofMaxSize(10);
    }

    /** What the kernel does with tmy_transitions: per type in order, up to 6 hash lookups. */
    static TransitionType kernelType(Set<TmyTransitionKey> keys, int gen, String domain, String program) {
        long id = DomainId.of(domain);
        String last = TomoyoName.lastWord(domain);
        long lastHash = last.startsWith("/") ? PathHash.of(last) : id;
        TransitionType[] types = TransitionType.values();
        int t = 0;
        while (t < types.length) {
            boolean found = false;
            for (long prog : new long[] {PathHash.of(program), 0}) {
                found |= keys.contains(new TmyTransitionKey(prog, id, gen, t, Abi.TMY_FROM_DOMAIN))
                        || keys.contains(new TmyTransitionKey(prog, lastHash, gen, t, Abi.TMY_FROM_LASTNAME))
                        || keys.contains(new TmyTransitionKey(prog, 0, gen, t, Abi.TMY_FROM_ANY));
            }
            if (!found) {
                t++;
                continue;
            }
            if (types[t] != TransitionType.NO_RESET && types[t] != TransitionType.NO_INITIALIZE) {
                break;
            }
            t += 2;
        }
        return t < types.length ? types[t] : null;
    }

    @Property(tries = 500)
    void compiledTransitionKeysAgreeWithTheReference(@ForAll("rules") List<ExceptionLine> rules) {
        PolicySet p = new PolicySet(new dev.tomoyoctl.policy.model.DomainPolicy(), new ExceptionPolicy(rules),
                new ProfilePolicy(), java.util.Map.of());
        CompiledPolicy c = PolicyCompiler.compile(p, 3);
        for (String d : DOMAINS) {
            for (String prog : PROGRAMS) {
                assertThat(kernelType(c.transitions(), 3, d, prog)).as("%s executing %s with %s", d, prog, rules)
                        .isEqualTo(DomainTransition.transitionType(p.exceptionPolicy(), d, prog));
            }
        }
    }

    @Test
    void compiledAggregatorsAgreeWithTheReferenceForExactNames() throws Exception {
        PolicySet p = policy("", "aggregator /usr/bin/tac /usr/bin/cat\naggregator /usr/bin/tac /x\n"
                + "aggregator /bin/vi /usr/bin/vim\n");
        CompiledPolicy c = PolicyCompiler.compile(p, 3);
        for (String prog : List.of("/usr/bin/tac", "/bin/vi", "/bin/ls")) {
            TmyAggregatorVal v = c.aggregators().get(new TmyAggregatorKey(PathHash.of(prog), 3));
            String ref = DomainTransition.aggregate(p.exceptionPolicy(), "<kernel>", prog);
            assertThat(v == null ? PathHash.of(prog) : v.aggregated()).as(prog).isEqualTo(PathHash.of(ref));
        }
    }
}
