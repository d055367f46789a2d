package dev.tomoyoctl.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAggregatorKey;
import dev.tomoyoctl.policy.abi.TmyAggregatorVal;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyProfile;
import dev.tomoyoctl.policy.abi.TmyTransitionKey;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyCompilerTest {
    static final int G = 7;
    static final int R = Abi.TMY_PERM_READ, W = Abi.TMY_PERM_WRITE, A = Abi.TMY_PERM_APPEND, X = Abi.TMY_PERM_EXECUTE;
    static final String PROFILES = ProfilePolicy.tomoyoDefault().print();

    static CompiledPolicy compile(String domains, String exceptions) throws Exception {
        return PolicyCompiler.compile(PolicySet.parse(domains, exceptions, PROFILES), G);
    }

    static TmyPathKey exact(String domain, String path) {
        return new TmyPathKey(DomainId.of(domain), PathHash.of(path), G, Abi.TMY_MATCH_EXACT);
    }

    static TmyPathKey subtree(String domain, String prefix) {
        return new TmyPathKey(DomainId.of(domain), PathHash.of(prefix), G, Abi.TMY_MATCH_SUBTREE);
    }

    static List<String> warnings(CompiledPolicy c) {
        return c.warnings().stream().map(PolicyWarning::toString).toList();
    }

    @Test
    void exactRulesMergePermissionsPerPath() throws Exception {
        CompiledPolicy c = compile("""
                <kernel> /bin/sh
                use_profile 1

                file read/write /etc/hosts
                file execute /bin/ls
                file append /etc/hosts
                file read /tmp/a\\040b

                """, "");
        assertThat(c.pathRules()).containsOnly(
                java.util.Map.entry(exact("<kernel> /bin/sh", "/etc/hosts"), new TmyPathVal(R | W | A, 0)),
                java.util.Map.entry(exact("<kernel> /bin/sh", "/bin/ls"), new TmyPathVal(X, 0)),
                java.util.Map.entry(new TmyPathKey(DomainId.of("<kernel> /bin/sh"),
                        PathHash.ofRaw("/tmp/a b".getBytes(StandardCharsets.US_ASCII)), G, Abi.TMY_MATCH_EXACT),
                        new TmyPathVal(R, 0)));
        assertThat(c.domains()).containsEntry(new TmyDomainKey(DomainId.of("<kernel> /bin/sh"), G),
                new TmyDomainVal(DomainId.KERNEL, 1, 0, 5, 0));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void kernelDomainAlwaysExists() throws Exception {
        CompiledPolicy c = compile("", "");
        assertThat(c.domains()).containsOnly(java.util.Map.entry(new TmyDomainKey(Abi.TMY_KERNEL_DOMAIN_ID, G),
                new TmyDomainVal(0, 0, 0, 0, 0)));
        assertThat(c.domainName(DomainId.KERNEL)).isEqualTo("<kernel>");
    }

    @Test
    void wholeSubtreesCompileToOneSubtreeKey() throws Exception {
        String d = "<kernel> /usr/bin/app";
        CompiledPolicy c = compile(d + """

                use_profile 1
                file read/write /usr/share/app/\\*
                file read/write /usr/share/app/\\{\\*\\}/\\*
                file read/write/execute /usr/share/app/\\{\\*\\}/
                file read /\\*
                file read /\\{\\*\\}/\\*
                file read /\\*/
                file read /\\{\\*\\}/\\*/
                """, "");
        assertThat(c.pathRules()).containsOnly(
                java.util.Map.entry(subtree(d, "/usr/share/app/"), new TmyPathVal(R | W, 0)),
                java.util.Map.entry(subtree(d, "/"), new TmyPathVal(R, 0)));
        // prefixes with 4 and 1 '/': bits 3 and 0
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of(d), G)).subtreeDepths()).isEqualTo(0b1001);
        assertThat(warnings(c)).containsExactly("domain_policy.conf:5: file execute on pattern /usr/share/app/"
                + "\\{\\*\\}/: not enforced in the kernel yet (TOMOYO names the new domain after the pattern; the "
                + "kernel cannot); the permission is not compiled");
    }

    @Test
    void partialSubtreesAndOtherPatternsGoToTheDomainsAutomaton() throws Exception {
        String d = "<kernel> /usr/bin/app";
        CompiledPolicy c = compile(d + """

                file read /data/\\*
                file read/write /data/\\{\\*\\}/\\*
                file read/write /data/\\{\\*\\}/
                file read /srv/\\{\\*\\}/\\*
                """, "");
        assertThat(c.pathRules()).containsOnly(java.util.Map.entry(subtree(d, "/data/"), new TmyPathVal(R, 0)));
        assertThat(warnings(c)).isEmpty();
        TmyDomainVal v = c.domains().get(new TmyDomainKey(DomainId.of(d), G));
        assertThat(v.dfa()).as("automaton cell, in the half of odd generations").isGreaterThan(Abi.TMY_DFA_HALF_CELLS);
        assertThat(c.entries(Abi.MAP_DFA)).isNotEmpty();
        var a = PolicyCompiler.compileDomain(PolicySet.parse(d + """

                file read /data/\\*
                file read/write /data/\\{\\*\\}/\\*
                file read/write /data/\\{\\*\\}/
                file read /srv/\\{\\*\\}/\\*
                """, "", PROFILES), d, G).automaton();
        // the write parts of /data/ and the deeper files of /srv/: exactly those, nothing else
        assertThat(a.perms("/data/x/y".getBytes())).isEqualTo(W);
        assertThat(a.perms("/data/x/".getBytes())).isEqualTo(W);
        assertThat(a.perms("/data/y".getBytes())).isZero();
        assertThat(a.perms("/srv/x/y".getBytes())).isEqualTo(R);
        assertThat(a.perms("/srv/y".getBytes())).isZero();
    }

    @Test
    void argumentOperationsOnPatternsAndWideRangesGoToTheDomainsAutomaton() throws Exception {
        String d = "<kernel> /usr/bin/app";
        String rules = d + """

                file create/chmod /tmp/\\*.tmp 0600-0640
                file chown /srv/data 1000-60000
                file rename @SPOOL /var/spool/out/\\$
                file mkchar /dev/\\* 0600 1 3-5
                file chmod /tmp/exact 0600
                file ioctl /dev/nothing @UNDEFINED
                """;
        String groups = "path_group SPOOL /var/spool/in/\\*\npath_group SPOOL /var/spool/exact\n";
        CompiledPolicy c = compile(rules, groups);
        assertThat(warnings(c)).containsExactly("domain_policy.conf:7: file ioctl: number_group UNDEFINED is not defined "
                + "in exception_policy.conf: the rule matches nothing");
        // a rule for one exact object stays one exact key (one hash lookup in the kernel)
        byte[] exactObject = "/tmp/exact\0000600".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(c.pathRules()).containsOnly(java.util.Map.entry(new TmyPathKey(DomainId.of(d),
                PathHash.ofRaw(exactObject), G, Abi.TMY_MATCH_EXACT), new TmyPathVal(Abi.TMY_PERM_CHMOD, 0)));
        var a = PolicyCompiler.compileDomain(PolicySet.parse(rules, groups, PROFILES), d, G).automaton();
        java.util.function.BiFunction<String, String, Integer> perms =
                (name, arg) -> a.perms((name + "\0" + arg).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(perms.apply("/tmp/a.tmp", "0640")).isEqualTo(Abi.TMY_PERM_CREATE | Abi.TMY_PERM_CHMOD);
        assertThat(perms.apply("/tmp/a.tmp", "0644")).isZero();
        assertThat(perms.apply("/tmp/d/a.tmp", "0600")).isZero();
        assertThat(perms.apply("/srv/data", "1000")).isEqualTo(Abi.TMY_PERM_CHOWN);
        assertThat(perms.apply("/srv/data", "60000")).isEqualTo(Abi.TMY_PERM_CHOWN);
        assertThat(perms.apply("/srv/data", "60001")).isZero();
        assertThat(perms.apply("/srv/data", "999")).isZero();
        assertThat(perms.apply("/var/spool/in/x", "/var/spool/out/42")).isEqualTo(Abi.TMY_PERM_RENAME);
        assertThat(perms.apply("/var/spool/exact", "/var/spool/out/7")).isEqualTo(Abi.TMY_PERM_RENAME);
        assertThat(perms.apply("/var/spool/in/x", "/var/spool/out/x")).isZero();
        assertThat(perms.apply("/dev/null", "0600 1 4")).isEqualTo(Abi.TMY_PERM_MKCHAR);
        assertThat(perms.apply("/dev/null", "0600 1 6")).isZero();
        assertThat(a.perms("/tmp/a.tmp".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isZero();
    }

    @Test
    void aConditionOnAnArgumentPatternIsAConditionalPatternRule() throws Exception {
        String d = "<kernel> /usr/bin/app";
        String rules = d + """

                file create /tmp/\\*.tmp 0600-0640 task.uid=0
                """;
        CompiledPolicy c = compile(rules, "");
        assertThat(warnings(c)).isEmpty();
        assertThat(c.condRules().values()).singleElement().satisfies(cr -> {
            assertThat(cr.pathHash()).isEqualTo(Abi.TMY_COND_MARK_BASE);
            assertThat(cr.perms()).isEqualTo(Abi.TMY_PERM_CREATE);
        });
        var a = PolicyCompiler.compileDomain(PolicySet.parse(rules, "", PROFILES), d, G).automaton();
        assertThat(a.perms("/tmp/x.tmp\0000640".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(Abi.TMY_DFA_MARK0);
        assertThat(a.perms("/tmp/x.tmp\0000644".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isZero();
    }

    @Test
    void mountRulesOnPatternsGoToTheAutomatonAndIgnoreTheDeviceWhereTomoyoDoes() throws Exception {
        String d = "<kernel> /usr/bin/app";
        String rules = d + """

                file mount none /tmp/\\*/ tmpfs 0x0-0xFF
                file mount /dev/vd\\? /mnt/\\*/ ext4 0x1
                file mount /srv/\\*/ /mnt/b/ --bind 0x0
                """;
        CompiledPolicy c = compile(rules, "");
        assertThat(warnings(c)).isEmpty();
        var a = PolicyCompiler.compileDomain(PolicySet.parse(rules, "", PROFILES), d, G).automaton();
        java.util.function.Function<String, Integer> perms =
                o -> a.perms(o.replace('|', '\0').getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(perms.apply("/tmp/x/|tmpfs|0x6|anything")).isEqualTo(Abi.TMY_PERM_MOUNT);
        assertThat(perms.apply("/tmp/x/|tmpfs|0x100|none")).isZero();
        assertThat(perms.apply("/tmp/x/y/|tmpfs|0x0|none")).isZero();
        assertThat(perms.apply("/mnt/data/|ext4|0x1|/dev/vdb")).isEqualTo(Abi.TMY_PERM_MOUNT);
        assertThat(perms.apply("/mnt/data/|ext4|0x1|/dev/sdb")).isZero();
        assertThat(perms.apply("/mnt/data/|ext4|0x0|/dev/vdb")).isZero();
        assertThat(perms.apply("/mnt/b/|--bind|0x0|/srv/x/")).isEqualTo(Abi.TMY_PERM_MOUNT);
        assertThat(perms.apply("/mnt/b/|--bind|0x0|/etc/")).isZero();
    }

    @Test
    void everythingNotEnforcedIsReportedWithItsLine() throws Exception {
        CompiledPolicy c = compile("""
                <kernel>
                use_profile 9
                use_group 0
                use_group 1

                file execute /etc/passwd exec.argv[1]="x"
                file read @LIBS
                file read/unlink /tmp/x
                file read /usr/lib/lib\\*.so
                network inet stream connect 127.0.0.1 80
                file getattr /x
                """, """
                acl_group 0 file read /etc/ld.so.cache
                path_group LIBS /usr/lib/\\*
                """);
        assertThat(warnings(c)).containsExactly(
                "domain_policy.conf:6: condition 'exec.argv[1]': not enforced in the kernel yet; the rule is not "
                        + "compiled (the kernel does not grant it)",
                "domain_policy.conf:2: profile 9 is not defined in profile.conf; the kernel treats the domain as disabled");
        // unlink and getattr are enforced since issue 5: compiled, no warning
        // acl_group 0's rule is the domain's through use_group 0
        assertThat(c.pathRules()).containsOnly(
                java.util.Map.entry(exact("<kernel>", "/tmp/x"), new TmyPathVal(R | Abi.TMY_PERM_UNLINK, 0)),
                java.util.Map.entry(exact("<kernel>", "/x"), new TmyPathVal(Abi.TMY_PERM_GETATTR, 0)),
                java.util.Map.entry(exact("<kernel>", "/etc/ld.so.cache"), new TmyPathVal(R, 0)));
    }

    @Test
    void conditionsOnExactNamesCompileToConditionalRules() throws Exception {
        String d = "<kernel> /usr/sbin/svc";
        CompiledPolicy c = compile(d + """

                use_profile 3
                file read /etc/shadow task.uid=0 task.gid!=100-199
                file read/write /srv/data path1.uid=task.uid path1.type=file
                file read /srv/perm path1.perm=0644 task.euid=@ADMINS
                file read /srv/x task.pid=1
                file read /srv/\\* task.uid=0
                """, "number_group ADMINS 0\nnumber_group ADMINS 1000-1999\n");
        long id = DomainId.of(d);
        assertThat(c.domains().get(new TmyDomainKey(id, G)).conds()).isEqualTo(4);
        var shadow = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 0));
        assertThat(shadow.pathHash()).isEqualTo(PathHash.of("/etc/shadow"));
        assertThat(shadow.perms()).isEqualTo(R);
        assertThat(shadow.clauses()).hasSize(2);
        assertThat(shadow.clauses().get(0).left()).isEqualTo(Abi.TMY_CV_TASK_UID);
        assertThat(shadow.clauses().get(1).negate()).isTrue();
        assertThat(shadow.clauses().get(1).ranges().get(0)).containsExactly(100, 199);
        var data = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 1));
        assertThat(data.perms()).isEqualTo(R | W);
        assertThat(data.clauses().get(0).right()).isEqualTo(Abi.TMY_CV_TASK_UID);
        assertThat(data.clauses().get(1).ranges().get(0)).containsExactly(0100000, 0100000);
        var perm = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 2));
        assertThat(perm.clauses().get(0).ranges().get(0)).containsExactly(0644, 0644);
        assertThat(perm.clauses().get(1).ranges()).hasSize(2);
        assertThat(warnings(c)).containsExactly(
                "domain_policy.conf:6: condition 'task.pid': not enforced in the kernel yet; the rule is not compiled "
                        + "(the kernel does not grant it)");
        // the unconditional maps do not grant them
        assertThat(c.pathRules()).doesNotContainKey(exact(d, "/etc/shadow"));
        // a condition on a pattern: the automaton marks the names it matches (mark 0), and the
        // conditional rule applies to the marked names
        var pattern = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 3));
        assertThat(pattern.pathHash()).isEqualTo(Abi.TMY_COND_MARK_BASE);
        assertThat(pattern.perms()).isEqualTo(R);
        var a = PolicyCompiler.compileDomain(PolicySet.parse(d + """

                use_profile 3
                file read /srv/\\* task.uid=0
                file read/write @CPG task.uid=1000
                file read /opt/\\* task.uid=0
                """, "path_group CPG /home/\\*/x\npath_group CPG /etc/y\n", PROFILES), d, G).automaton();
        assertThat(a.perms("/srv/a".getBytes())).isEqualTo(Abi.TMY_DFA_MARK0);
        assertThat(a.perms("/home/u/x".getBytes())).isEqualTo(Abi.TMY_DFA_MARK0 << 1);
        assertThat(a.perms("/etc/y".getBytes())).isEqualTo(Abi.TMY_DFA_MARK0 << 1);
        assertThat(a.perms("/opt/b".getBytes())).isEqualTo(Abi.TMY_DFA_MARK0 << 2);
        assertThat(a.perms("/srv/a/b".getBytes())).isZero();
    }

    static final String EXECUTE_ON_PATTERN = "file execute on a pattern or path_group with a condition: not enforced in "
            + "the kernel yet (TOMOYO names the new domain after the pattern; the kernel cannot); the permission is not "
            + "compiled";

    @Test
    void atMostSevenConditionalPatternRulesPerDomain() throws Exception {
        StringBuilder rules = new StringBuilder("<kernel> /usr/sbin/svc\n\nuse_profile 3\n");
        for (int i = 0; i < 8; i++) {
            rules.append("file read /srv/d").append(i).append("/\\* task.uid=0\n");
        }
        CompiledPolicy c = compile(rules.toString(), "");
        assertThat(c.condRules()).hasSize(7);
        assertThat(warnings(c)).singleElement().asString().startsWith("domain_policy.conf:11: more than 7 conditional "
                + "rules on patterns");
    }

    @Test
    void domainsWithTheSamePatternRulesShareOneAutomaton() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("<kernel> /usr/bin/p").append(i).append("\nuse_profile 3\nfile read proc:/\\$/stat\n"
                    + "file read /tmp/tmp.\\*\n\n");
        }
        text.append("<kernel> /usr/bin/other\nuse_profile 3\nfile read /var/log/x.\\$\n");
        CompiledPolicy c = compile(text.toString(), "");
        java.util.Set<Integer> cells = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            cells.add(c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /usr/bin/p" + i), G)).dfa());
        }
        int other = c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /usr/bin/other"), G)).dfa();
        assertThat(cells).hasSize(1).doesNotContain(0, other);
        assertThat(other).isNotZero();
    }

    @Test
    void aclGroupRulesAreCompiledIntoEveryDomainThatUsesTheGroup() throws Exception {
        CompiledPolicy c = compile("""
                <kernel> /a
                use_profile 3
                use_group 1

                <kernel> /b
                use_profile 3
                use_group 1
                use_group 2

                <kernel> /c
                use_profile 3
                """, """
                acl_group 1 file read /etc/app.conf
                acl_group 1 file read /var/log/app.\\$
                acl_group 1 network inet stream connect 127.0.0.1 7000-7010
                acl_group 1 file read /etc/passwd task.pid=1
                acl_group 2 file write /tmp/b
                """);
        for (String d : List.of("<kernel> /a", "<kernel> /b")) {
            assertThat(c.pathRules()).containsEntry(exact(d, "/etc/app.conf"), new TmyPathVal(R, 0));
            TmyDomainVal v = c.domains().get(new TmyDomainKey(DomainId.of(d), G));
            assertThat(v.dfa()).as(d + " has the group's pattern in its automaton").isNotZero();
            assertThat(v.flags() & Abi.TMY_DOMAIN_INET_RANGES).as(d + " has the group's port range").isNotZero();
        }
        assertThat(c.pathRules()).containsEntry(exact("<kernel> /b", "/tmp/b"), new TmyPathVal(W, 0))
                .doesNotContainKey(exact("<kernel> /a", "/tmp/b")).doesNotContainKey(exact("<kernel> /c", "/etc/app.conf"));
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /c"), G)).dfa()).isZero();
        // a rule of the group the kernel does not compile is reported once, at its own line
        assertThat(warnings(c)).containsExactly("exception_policy.conf:4: condition 'task.pid': not enforced in the "
                + "kernel yet; the rule is not compiled (the kernel does not grant it)");
    }

    @Test
    void singlePathOperationsCompileToTheirBits() throws Exception {
        CompiledPolicy c = compile("""
                <kernel> /bin/sh
                use_profile 1

                file unlink /tmp/a
                file getattr /etc/
                file rmdir /tmp/d/
                file truncate /tmp/a
                file symlink /tmp/link
                file chroot /srv/jail/
                file unmount /mnt/
                file getattr/rmdir /data/\\*
                file getattr/rmdir /data/\\{\\*\\}/\\*
                file getattr/rmdir /data/\\{\\*\\}/
                """, "");
        String d = "<kernel> /bin/sh";
        assertThat(c.pathRules()).containsOnly(
                java.util.Map.entry(exact(d, "/tmp/a"), new TmyPathVal(Abi.TMY_PERM_UNLINK | Abi.TMY_PERM_TRUNCATE, 0)),
                java.util.Map.entry(exact(d, "/etc/"), new TmyPathVal(Abi.TMY_PERM_GETATTR, 0)),
                java.util.Map.entry(exact(d, "/tmp/d/"), new TmyPathVal(Abi.TMY_PERM_RMDIR, 0)),
                java.util.Map.entry(exact(d, "/tmp/link"), new TmyPathVal(Abi.TMY_PERM_SYMLINK, 0)),
                java.util.Map.entry(exact(d, "/srv/jail/"), new TmyPathVal(Abi.TMY_PERM_CHROOT, 0)),
                java.util.Map.entry(exact(d, "/mnt/"), new TmyPathVal(Abi.TMY_PERM_UNMOUNT, 0)),
                java.util.Map.entry(subtree(d, "/data/"), new TmyPathVal(Abi.TMY_PERM_GETATTR | Abi.TMY_PERM_RMDIR, 0)));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void transitionsCompileToKeysPerForm() throws Exception {
        CompiledPolicy c = compile("<kernel>\n</usr/sbin/httpd>\n", """
                initialize_domain /usr/sbin/sshd
                initialize_domain /usr/sbin/cron from any
                no_initialize_domain /usr/sbin/sendmail from /bin/mail
                keep_domain <kernel> /usr/sbin/sshd /bin/bash
                keep_domain /usr/bin/passwd from <kernel> /usr/sbin/sshd /bin/bash
                no_keep_domain any from /bin/bash
                keep_domain any
                reset_domain /usr/sbin/httpd
                no_reset_domain /usr/sbin/httpd from <kernel> /etc/init.d/httpd
                initialize_domain /usr/bin/\\* from any
                reset_domain /usr/sbin/nginx
                """);
        long sshd = PathHash.of("/usr/sbin/sshd"), httpd = PathHash.of("/usr/sbin/httpd");
        assertThat(c.transitions()).containsExactlyInAnyOrder(
                new TmyTransitionKey(sshd, 0, G, Abi.TMY_TR_INITIALIZE, Abi.TMY_FROM_ANY),
                new TmyTransitionKey(PathHash.of("/usr/sbin/cron"), 0, G, Abi.TMY_TR_INITIALIZE, Abi.TMY_FROM_ANY),
                new TmyTransitionKey(PathHash.of("/usr/sbin/sendmail"), PathHash.of("/bin/mail"), G,
                        Abi.TMY_TR_NO_INITIALIZE, Abi.TMY_FROM_LASTNAME),
                new TmyTransitionKey(0, DomainId.of("<kernel> /usr/sbin/sshd /bin/bash"), G, Abi.TMY_TR_KEEP,
                        Abi.TMY_FROM_DOMAIN),
                new TmyTransitionKey(PathHash.of("/usr/bin/passwd"), DomainId.of("<kernel> /usr/sbin/sshd /bin/bash"), G,
                        Abi.TMY_TR_KEEP, Abi.TMY_FROM_DOMAIN),
                new TmyTransitionKey(0, PathHash.of("/bin/bash"), G, Abi.TMY_TR_NO_KEEP, Abi.TMY_FROM_LASTNAME),
                new TmyTransitionKey(0, 0, G, Abi.TMY_TR_KEEP, Abi.TMY_FROM_ANY),
                new TmyTransitionKey(httpd, 0, G, Abi.TMY_TR_RESET, Abi.TMY_FROM_ANY),
                new TmyTransitionKey(httpd, DomainId.of("<kernel> /etc/init.d/httpd"), G, Abi.TMY_TR_NO_RESET,
                        Abi.TMY_FROM_DOMAIN),
                new TmyTransitionKey(PathHash.of("/usr/sbin/nginx"), 0, G, Abi.TMY_TR_RESET, Abi.TMY_FROM_ANY));
        assertThat(warnings(c)).contains(
                "exception_policy.conf:10: initialize_domain with program pattern /usr/bin/\\*: TOMOYO compares it "
                        + "literally (it matches only a domain named after an execute pattern); not enforced in the kernel yet",
                "exception_policy.conf:11: reset_domain: the target domain </usr/sbin/nginx> is not defined in "
                        + "domain_policy.conf; the exec will be refused, as in TOMOYO");
        assertThat(warnings(c)).noneMatch(w -> w.contains(":8:"));
        // the reset target root is compiled as a domain
        assertThat(c.domains()).containsKey(new TmyDomainKey(DomainId.of("</usr/sbin/httpd>"), G));
    }

    @Test
    void aggregatorsExactFirstWins() throws Exception {
        CompiledPolicy c = compile("", """
                aggregator /usr/bin/tac /usr/bin/cat
                aggregator /usr/bin/tac /usr/bin/other
                aggregator /etc/rc\\?.d/\\?\\+\\+smb /etc/init.d/smb
                """);
        long root = PathHash.ofRaw("</usr/bin/cat>".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.aggregators()).containsOnly(java.util.Map.entry(new TmyAggregatorKey(PathHash.of("/usr/bin/tac"), G),
                new TmyAggregatorVal(PathHash.of("/usr/bin/cat"), root)));
        assertThat(warnings(c)).containsExactly(
                "exception_policy.conf:2: aggregator for /usr/bin/tac is shadowed by line 1 (the first match wins)",
                "exception_policy.conf:3: aggregator with pattern /etc/rc\\?.d/\\?\\+\\+smb: not enforced in the kernel "
                        + "yet (only exact program names are)");
    }

    @Test
    void profilesCompileToAll256Entries() throws Exception {
        PolicySet p = PolicySet.parse("<kernel> /a\nuse_profile 5\nfile read /x\n", "", PROFILES + """
                4-CONFIG={ mode=enforcing grant_log=yes reject_log=no }
                4-CONFIG::network={ mode=learning }
                4-PREFERENCE={ max_learning_entry=10 }
                5-CONFIG::file::open={ mode=enforcing }
                5-CONFIG::file={ mode=learning grant_log=no }
                5-PREFERENCE={ max_learning_entry=0 }
                """);
        CompiledPolicy c = PolicyCompiler.compile(p, G);
        assertThat(c.profiles()).hasSize(256);
        // "3-CONFIG=" is the default of every category (network, capability, ipc too).
        assertThat(c.profiles().get(3)).isEqualTo(new TmyProfile(new byte[] {3, 3, 3, 3, 0, 0, 0, 0},
                Abi.TMY_PROFILE_REJECT_LOG, 2048));
        assertThat(c.profiles().get(1).mode(Abi.TMY_CAT_FILE)).isEqualTo(Abi.TMY_MODE_LEARNING);
        assertThat(c.profiles().get(4)).isEqualTo(new TmyProfile(new byte[] {3, 1, 3, 3, 0, 0, 0, 0},
                Abi.TMY_PROFILE_GRANT_LOG, 10));
        assertThat(c.profiles().get(5)).isEqualTo(new TmyProfile(new byte[] {1, 0, 0, 0, 0, 0, 0, 0},
                Abi.TMY_PROFILE_REJECT_LOG, 1));
        assertThat(c.profiles().get(6)).isEqualTo(TmyProfile.DISABLED);
        assertThat(c.domains().get(new TmyDomainKey(DomainId.of("<kernel> /a"), G)).flags())
                .isEqualTo(Abi.TMY_DOMAIN_QUOTA_EXCEEDED);
        assertThat(warnings(c)).noneMatch(w -> w.startsWith("profile.conf:15"));
        assertThat(warnings(c)).contains(
                "profile.conf: profile 5: file::open (enforcing) and file::execute (learning) differ; the kernel has "
                        + "one file setting and uses CONFIG::file (learning)",
                "profile.conf: profile 5: max_learning_entry=0 (learn nothing) is compiled as quota_exceeded on its "
                        + "domains and a limit of 1 for new domains");
    }

    @Test
    void quotaCounterStartsAtTheDomainsPermissionCount() throws Exception {
        CompiledPolicy c = compile("<kernel>\nquota_exceeded\nfile read/write/append /a\nfile rename /b /c\n", "");
        assertThat(c.domains().get(new TmyDomainKey(DomainId.KERNEL, G)))
                .isEqualTo(new TmyDomainVal(0, 0, Abi.TMY_DOMAIN_QUOTA_EXCEEDED, 4, 0));
    }

    @Test
    void otherNamespacesAreCompiledWithWarnings() throws Exception {
        PolicySet p = PolicySet.parse("</usr/sbin/httpd>\nuse_profile 3\nfile read /var/www/index.html\n",
                "reset_domain /usr/sbin/httpd\n<apache> keep_domain any\n",
                PROFILES + "</usr/sbin/httpd> 3-CONFIG={ mode=learning }\n");
        CompiledPolicy c = PolicyCompiler.compile(p, G);
        assertThat(c.pathRules()).containsKey(exact("</usr/sbin/httpd>", "/var/www/index.html"));
        assertThat(warnings(c)).contains(
                "domain_policy.conf:1: profile 3 of namespace </usr/sbin/httpd> differs from <kernel>'s profile 3; the "
                        + "kernel has one profile table and uses <kernel>'s",
                "domain_policy.conf:1: namespace </usr/sbin/httpd>: the kernel applies the <kernel> namespace's "
                        + "transition rules and aggregators to its domains; TOMOYO applies </usr/sbin/httpd>'s own",
                "exception_policy.conf:2: namespace <apache>: only the <kernel> namespace is compiled; not enforced in "
                        + "the kernel yet");
    }

    @Test
    void mapEntriesAreTheRecordsBytesInWriteOrder() throws Exception {
        CompiledPolicy c = compile("<kernel>\nfile read /etc/hosts\n", "initialize_domain /usr/sbin/sshd\n"
                + "aggregator /usr/bin/tac /usr/bin/cat\n");
        var m = c.mapEntries();
        assertThat(m.keySet()).containsExactly(Abi.MAP_PROFILES, Abi.MAP_DFA, Abi.MAP_DOMAINS, Abi.MAP_PATH_RULES,
                Abi.MAP_INET_RULES, Abi.MAP_PORT_SETS, Abi.MAP_INET_RANGES, Abi.MAP_CAP_RULES, Abi.MAP_SIGNAL_RULES,
                Abi.MAP_COND_RULES, Abi.MAP_TRANSITIONS, Abi.MAP_AGGREGATORS, Abi.MAP_STATE);
        assertThat(m.get(Abi.MAP_INET_RULES)).isEmpty();
        assertThat(m.get(Abi.MAP_PROFILES)).hasSize(256);
        assertThat(ByteBuffer.wrap(m.get(Abi.MAP_PROFILES).get(3).key()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(3);
        assertThat(m.get(Abi.MAP_PROFILES).get(3).value()).isEqualTo(c.profiles().get(3).toBytes());
        assertThat(m.get(Abi.MAP_PATH_RULES)).singleElement().satisfies(e -> {
            assertThat(TmyPathKey.decode(e.key())).isEqualTo(exact("<kernel>", "/etc/hosts"));
            assertThat(TmyPathVal.decode(e.value())).isEqualTo(new TmyPathVal(R, 0));
        });
        assertThat(m.get(Abi.MAP_TRANSITIONS)).singleElement()
                .satisfies(e -> assertThat(e.value()).containsExactly(1, 0, 0, 0));
        assertThat(m.get(Abi.MAP_AGGREGATORS)).hasSize(1);
        assertThat(m.get(Abi.MAP_STATE)).singleElement().satisfies(e -> {
            assertThat(e.key()).containsExactly(0, 0, 0, 0);
            assertThat(e.value()).containsExactly(G, 0, 0, 0, 0, 0, 0, 0);
        });
    }

    @Test
    void compileDomainMatchesTheWholeCompile() throws Exception {
        PolicySet p = PolicySet.parse("<kernel>\n<kernel> /a\nuse_profile 1\nfile read /x\nfile read /usr/\\*\n"
                + "file read /usr/\\{\\*\\}/\\*\nfile read /usr/\\{\\*\\}/\n", "", PROFILES);
        p.addLearnedFileRule("<kernel> /a", "/y", 2);
        CompiledPolicy all = PolicyCompiler.compile(p, G);
        DomainEntries one = PolicyCompiler.compileDomain(p, "<kernel> /a", G);
        assertThat(all.domains()).containsEntry(one.key(), one.value());
        assertThat(all.pathRules()).containsAllEntriesOf(one.pathRules());
        assertThat(one.pathRules()).hasSize(3);
        assertThat(one.value().learned()).isEqualTo(5);
    }

    static String bigPolicy(int domains, int rulesPerDomain) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < domains; d++) {
            sb.append("<kernel> /usr/bin/prog").append(d).append("\nuse_profile 1\n\n");
            for (int i = 0; i < rulesPerDomain; i++) {
                sb.append(i % 3 == 0 ? "file read/write /var/lib/app" : "file read /usr/share/data").append(d)
                        .append("/dir").append(i % 37).append("/file\\040").append(i).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** CPU time of this thread: the other helpers' builds share this machine, wall time flaps. */
    static long cpuMs(Runnable r) {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        r.run();
        return (bean.getCurrentThreadCpuTime() - t0) / 1_000_000;
    }

    @Test
    void hundredThousandRulesCompileWellUnderTwoSeconds() throws Exception {
        String text = bigPolicy(100, 1000);
        PolicySet[] p = new PolicySet[1];
        long parseMs = cpuMs(() -> {
            try {
                p[0] = PolicySet.parse(text, "", PROFILES);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        CompiledPolicy[] c = new CompiledPolicy[1];
        long wall0 = System.nanoTime();
        long firstMs = cpuMs(() -> c[0] = PolicyCompiler.compile(p[0], G));
        long wallMs = (System.nanoTime() - wall0) / 1_000_000;
        long warmMs = cpuMs(() -> PolicyCompiler.compile(p[0], G + 1));
        assertThat(c[0].pathRules()).hasSize(100_000);
        System.out.printf("100k rules (CPU ms): parse %d, compile %d first (%d wall), %d warm%n", parseMs, firstMs,
                wallMs, warmMs);
        assertThat(firstMs).as("CPU ms of the first compile of 100k rules").isLessThan(2000);
        assertThat(warmMs).as("CPU ms of a warm compile of 100k rules").isLessThan(1000);
        assertThat(parseMs).as("CPU ms of parsing 100k rules").isLessThan(3000);
    }

    @Test
    void compileTimeGrowsLinearly() throws Exception {
        PolicySet small = PolicySet.parse(bigPolicy(10, 2500), "", PROFILES);  // 25k rules
        PolicySet large = PolicySet.parse(bigPolicy(10, 10000), "", PROFILES); // 100k rules in 10 domains
        for (int i = 0; i < 3; i++) {
            PolicyCompiler.compile(small, G); // warm up the JIT
        }
        long s = Long.MAX_VALUE, l = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            s = Math.min(s, cpuMs(() -> PolicyCompiler.compile(small, G)));
            l = Math.min(l, cpuMs(() -> PolicyCompiler.compile(large, G)));
        }
        // 4x the rules: linear gives ~4x, quadratic ~16x; allow noise.
        assertThat(l).as("CPU ms for 100k vs %d ms for 25k", s).isLessThan(Math.max(8 * s, 200));
    }

    // ---- issue 6: exec.realpath, exec.argv[0], symlink.target ---------------------------------

    /** FNV-1a 64 continued over the 8 little-endian bytes of v, written out here (not PathHash.updateLong). */
    static long fold(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (8 * i)) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long raw(String s) {
        return PathHash.ofRaw(s.getBytes(StandardCharsets.UTF_8));
    }

    static TmyPathKey key(String domain, long key) {
        return new TmyPathKey(DomainId.of(domain), key, G, Abi.TMY_MATCH_EXACT);
    }

    @Test
    void learnedNameFormsAreExactKeys() throws Exception {
        String d = "<kernel> /usr/bin/bash";
        CompiledPolicy c = compile(d + """

                use_profile 3
                file execute /usr/bin/sh exec.realpath="/usr/bin/dash" exec.argv[0]="/bin/sh"
                file execute /usr/bin/ls exec.realpath="/usr/bin/ls"
                file execute /usr/bin/vi exec.argv[0]="vi" exec.realpath="/usr/bin/vim.tiny"
                file symlink /tmp/l symlink.target="/etc/passwd"
                file execute /tmp/a\\040b exec.realpath="/tmp/x\\\\y\\177" exec.argv[0]="a\\040c"
                """, "");
        assertThat(warnings(c)).isEmpty();
        assertThat(c.condRules()).isEmpty();
        assertThat(c.pathRules()).containsOnly(
                java.util.Map.entry(key(d, fold(fold(raw("/usr/bin/sh"), raw("/usr/bin/dash")), raw("/bin/sh"))),
                        new TmyPathVal(X, 0)),
                java.util.Map.entry(key(d, fold(raw("/usr/bin/ls"), raw("/usr/bin/ls"))), new TmyPathVal(X, 0)),
                // either order: the key is always realpath first, then argv[0]
                java.util.Map.entry(key(d, fold(fold(raw("/usr/bin/vi"), raw("/usr/bin/vim.tiny")), raw("vi"))),
                        new TmyPathVal(X, 0)),
                java.util.Map.entry(key(d, fold(raw("/tmp/l"), raw("/etc/passwd"))),
                        new TmyPathVal(Abi.TMY_PERM_SYMLINK, 0)),
                java.util.Map.entry(key(d, fold(fold(raw("/tmp/a b"), raw("/tmp/x\\y\u007f")), raw("a c"))),
                        new TmyPathVal(X, 0)));
        // the learned form does not grant the name without its condition
        assertThat(c.pathRules()).doesNotContainKey(exact(d, "/usr/bin/sh"));
    }

    @Test
    void otherConditionsOnNamesAreNameClauses() throws Exception {
        String d = "<kernel> /usr/bin/bash";
        CompiledPolicy c = compile(d + """

                use_profile 3
                file execute /usr/bin/sh exec.argv[0]="sh"
                file execute /usr/bin/sh exec.realpath!="/usr/bin/dash"
                file execute /usr/bin/sh exec.realpath="/usr/bin/dash" task.uid=0
                file execute /usr/bin/sh exec.realpath=@SHELLS
                file symlink /tmp/l symlink.target!=@SHELLS
                """, "path_group SHELLS /usr/bin/dash\npath_group SHELLS /usr/bin/bash\n");
        assertThat(warnings(c)).isEmpty();
        long id = DomainId.of(d);
        assertThat(c.domains().get(new TmyDomainKey(id, G)).conds()).isEqualTo(5);
        var argv0 = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 0));
        assertThat(argv0.pathHash()).isEqualTo(raw("/usr/bin/sh"));
        assertThat(argv0.perms()).isEqualTo(X);
        var cl = argv0.clauses().get(0);
        assertThat(cl.left()).isEqualTo(Abi.TMY_CV_EXEC_ARGV0);
        assertThat(cl.right()).isZero();
        assertThat(cl.negate()).isFalse();
        assertThat(cl.ranges()).hasSize(1);
        assertThat(cl.ranges().get(0)).containsExactly(raw("sh") & 0xffffffffL, raw("sh") >>> 32);
        var neg = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 1)).clauses().get(0);
        assertThat(neg.left()).isEqualTo(Abi.TMY_CV_EXEC_REALPATH);
        assertThat(neg.negate()).isTrue();
        assertThat(neg.ranges().get(0)).containsExactly(raw("/usr/bin/dash") & 0xffffffffL, raw("/usr/bin/dash") >>> 32);
        var mixed = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 2)).clauses();
        assertThat(mixed).hasSize(2);
        assertThat(mixed.get(0).left()).isEqualTo(Abi.TMY_CV_EXEC_REALPATH);
        assertThat(mixed.get(1).left()).isEqualTo(Abi.TMY_CV_TASK_UID);
        var group = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 3)).clauses().get(0);
        assertThat(group.ranges()).hasSize(2);
        assertThat(group.ranges().get(1)).containsExactly(raw("/usr/bin/bash") & 0xffffffffL, raw("/usr/bin/bash") >>> 32);
        var sym = c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 4));
        assertThat(sym.perms()).isEqualTo(Abi.TMY_PERM_SYMLINK);
        assertThat(sym.clauses().get(0).left()).isEqualTo(Abi.TMY_CV_SYMLINK_TARGET);
        assertThat(sym.clauses().get(0).negate()).isTrue();
        // as bytes: nranges and the hash halves where tomoyo_abi.h puts them
        ByteBuffer b = ByteBuffer.wrap(argv0.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.get(16) & 0xff).isEqualTo(Abi.TMY_CV_EXEC_ARGV0);
        assertThat(b.get(19) & 0xff).isEqualTo(1);
        assertThat(b.getInt(20)).isEqualTo((int) raw("sh"));
        assertThat(b.getInt(36)).isEqualTo((int) (raw("sh") >>> 32));
        assertThat(c.pathRules()).isEmpty();
    }

    @Test
    void nameConditionsTheKernelCannotCompareAreReported() throws Exception {
        String d = "<kernel> /usr/bin/bash";
        CompiledPolicy c = compile(d + """

                use_profile 3
                file execute /usr/bin/sh exec.realpath="/usr/bin/\\*"
                file execute /usr/bin/sh exec.realpath=@MANY
                file execute /usr/bin/sh exec.realpath=exec.argv[0]
                file execute /usr/bin/sh task.uid=exec.realpath
                file execute /usr/bin/sh exec.argc=1
                file execute /usr/bin/sh exec.realpath=@NONE
                file execute @SHELLS exec.realpath="/usr/bin/dash"
                file execute /usr/bin/\\* exec.realpath="/usr/bin/dash"
                """, "path_group MANY /a\npath_group MANY /b\npath_group MANY /c\npath_group MANY /d\n"
                + "path_group MANY /e\npath_group SHELLS /bin/sh\n");
        String nc = ": not enforced in the kernel yet; the rule is not compiled (the kernel does not grant it)";
        assertThat(warnings(c)).containsExactly(
                "domain_policy.conf:3: condition 'exec.realpath' compared with '/usr/bin/\\*' (the kernel compares "
                        + "plain names, not patterns)" + nc,
                "domain_policy.conf:4: condition 'exec.realpath=@MANY': path_group MANY has 5 names (the kernel "
                        + "compares at most 4)" + nc,
                "domain_policy.conf:5: condition 'exec.realpath=exec.argv[0]' (a quoted name or @path_group expected)"
                        + nc,
                "domain_policy.conf:6: condition 'task.uid=exec.realpath' (a number compared with a name)" + nc,
                "domain_policy.conf:7: condition 'exec.argc'" + nc,
                "domain_policy.conf:8: condition path_group NONE is not defined" + nc,
                "domain_policy.conf:9: " + EXECUTE_ON_PATTERN,
                "domain_policy.conf:10: " + EXECUTE_ON_PATTERN);
        assertThat(c.pathRules()).isEmpty();
        assertThat(c.condRules()).isEmpty();
    }

    @Test
    void nameConditionsOutsideTheirCheckNeverMatchAndAreReported() throws Exception {
        String d = "<kernel> /usr/bin/bash";
        CompiledPolicy c = compile(d + """

                use_profile 3
                file read /etc/passwd exec.realpath="/bin/x"
                file execute /tmp/l symlink.target="/etc/passwd"
                file read/execute /usr/bin/sh exec.realpath="/usr/bin/dash"
                """, "");
        assertThat(warnings(c)).containsExactly(
                "domain_policy.conf:3: never matches: exec.realpath is known only in 'file execute', not in 'file read'",
                "domain_policy.conf:4: never matches: symlink.target is known only in 'file symlink', not in "
                        + "'file execute'",
                "domain_policy.conf:5: never matches: exec.realpath is known only in 'file execute', not in 'file read'");
        long id = DomainId.of(d);
        // compiled all the same: the kernel's clause is false there too
        assertThat(c.domains().get(new TmyDomainKey(id, G)).conds()).isEqualTo(3);
        assertThat(c.condRules().get(new dev.tomoyoctl.policy.abi.TmyCondKey(id, G, 2)).perms()).isEqualTo(R);
        // the execute part of line 6 is the learned form's exact key
        assertThat(c.pathRules()).containsOnly(java.util.Map.entry(
                key(d, fold(raw("/usr/bin/sh"), raw("/usr/bin/dash"))), new TmyPathVal(X, 0)));
    }
}
