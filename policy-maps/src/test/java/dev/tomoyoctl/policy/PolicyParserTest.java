package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tomoyoctl.policy.model.AclGroupRule;
import dev.tomoyoctl.policy.model.Aggregator;
import dev.tomoyoctl.policy.model.ConfigValue;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainFlag;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.OtherAcl;
import dev.tomoyoctl.policy.model.ProfileConfig;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;

import org.junit.jupiter.api.Test;

class PolicyParserTest {

    /** As TOMOYO 2.6's kernel prints domain_policy (name, use_profile, flags, use_group, blank, ACLs, blank). */
    static final String DOMAINS = """
            # saved by hand
            <kernel>
            use_profile 0
            use_group 0

            file execute /sbin/init
            file read/write /dev/null

            <kernel> /sbin/init
            use_profile 1
            quota_exceeded
            transition_failed
            use_group 0

            file execute/read /bin/sh
            file read /etc/\\{\\*\\}/\\*
            file append /var/log/a\\040b.log
            file read/unlink /tmp/x
            network inet stream connect 127.0.0.1 80
            misc env PATH
            file rename /tmp/a /tmp/b
            file ioctl /dev/tty 0x5401
            file mount /dev/sda1 /mnt/ ext4 0
            file read /etc/passwd task.uid=0
            file execute /bin/su <kernel> /bin/su grant_log=yes
            file read @LIBS
            task manual_domain_transition <kernel> /foo

            <kernel> /sbin/init /bin/sh
            use_profile 1


            """;

    static final String EXCEPTIONS = """
            acl_group 0 file read /etc/ld.so.cache
            acl_group 0 file read proc:/self/\\*
            path_group ANY_PATHNAME /
            path_group ANY_PATHNAME /\\{\\*\\}/\\*
            number_group COMMON_IOCTL_CMDS 0x5401
            number_group RANGE 0-0777
            address_group LOCAL 127.0.0.1-127.0.0.255
            acl_group 0 file ioctl @ANY_PATHNAME @COMMON_IOCTL_CMDS
            initialize_domain /usr/sbin/sshd from any
            initialize_domain /usr/sbin/cron
            no_initialize_domain /usr/sbin/sendmail from /bin/mail
            keep_domain <kernel> /usr/sbin/sshd /bin/bash
            keep_domain /usr/bin/passwd from <kernel> /usr/sbin/sshd /bin/bash
            keep_domain any from /bin/bash
            keep_domain any
            no_keep_domain /usr/bin/passwd from <kernel> /usr/sbin/sshd /bin/bash
            reset_domain /usr/sbin/httpd from any
            no_reset_domain /usr/sbin/httpd from <kernel> /etc/init.d/httpd
            aggregator proc:/self/exe /proc/self/exe
            aggregator /etc/rc\\?.d/\\?\\+\\+smb /etc/init.d/smb
            <apache> initialize_domain /usr/sbin/apache2 from any
            """;

    static final String PROFILES = """
            PROFILE_VERSION=20150505
            0-COMMENT=-----Disabled Mode-----
            0-PREFERENCE={ max_audit_log=1024 max_learning_entry=2048 }
            0-CONFIG={ mode=disabled grant_log=no reject_log=yes }
            1-CONFIG::file={ mode=learning grant_log=no reject_log=yes }
            3-CONFIG::file::open={ mode=enforcing grant_log=yes reject_log=yes }
            3-CONFIG::network={ use_default }
            3-CONFIG::capability={ mode=enforcing }
            3-CONFIG::file::execute={ }
            <apache> 0-CONFIG={ mode=enforcing grant_log=no reject_log=yes }
            4-FOO::bar=baz
            """;

    @Test
    void canonicalFilesRoundTripExactly() throws Exception {
        PolicySet p = PolicySet.parse(DOMAINS, EXCEPTIONS, PROFILES);
        assertThat(p.printDomainPolicy()).isEqualTo(DOMAINS);
        assertThat(p.printExceptionPolicy()).isEqualTo(EXCEPTIONS);
        assertThat(p.printProfiles()).isEqualTo(PROFILES);
    }

    @Test
    void domainsAreModelled() throws Exception {
        DomainPolicy d = PolicyParser.parseDomainPolicy("d", DOMAINS);
        assertThat(d.domains()).extracting(Domain::name)
                .containsExactly("<kernel>", "<kernel> /sbin/init", "<kernel> /sbin/init /bin/sh");
        Domain init = d.domain("<kernel> /sbin/init");
        assertThat(init.profile()).isEqualTo(1);
        assertThat(init.flags()).containsExactlyInAnyOrder(DomainFlag.QUOTA_EXCEEDED, DomainFlag.TRANSITION_FAILED);
        assertThat(init.groups()).containsExactly(0);
        assertThat(init.fileRule("/bin/sh")).isEqualTo(new FileRule(FileOp.bitsOf(FileOp.EXECUTE, FileOp.READ), "/bin/sh"));
        assertThat(init.fileRule("/tmp/x").ops()).isEqualTo(FileOp.bitsOf(FileOp.READ, FileOp.UNLINK));
        assertThat(init.lines()).filteredOn(l -> l instanceof FileRule r && r.hasCondition())
                .extracting(l -> ((FileRule) l).condition()).containsExactly("task.uid=0", "<kernel> /bin/su grant_log=yes");
        assertThat(init.lines()).filteredOn(l -> l instanceof OtherAcl).extracting(l -> ((OtherAcl) l).keyword())
                .containsExactly("misc env", "file rename", "file ioctl", "file mount",
                        "task manual_domain_transition");
        // TOMOYO counts permission bits: execute/read(2) read(1) append(1) read/unlink(2) + 6 others
        // (rename 1, ioctl 1 ...) + read(cond) 1 + execute(cond) 1 + read @LIBS 1.
        assertThat(init.quotaCount()).isEqualTo(2 + 1 + 1 + 2 + 6 + 1 + 1 + 1);
    }

    @Test
    void exceptionsAreModelled() throws Exception {
        ExceptionPolicy e = PolicyParser.parseExceptionPolicy("e", EXCEPTIONS);
        assertThat(e.linesOf(TransitionControl.class)).contains(
                new TransitionControl(null, TransitionType.INITIALIZE, "/usr/sbin/sshd", null, true),
                new TransitionControl(null, TransitionType.INITIALIZE, "/usr/sbin/cron", null, false),
                new TransitionControl(null, TransitionType.NO_INITIALIZE, "/usr/sbin/sendmail", "/bin/mail", true),
                new TransitionControl(null, TransitionType.KEEP, null, "<kernel> /usr/sbin/sshd /bin/bash", false),
                new TransitionControl(null, TransitionType.KEEP, null, "/bin/bash", true),
                new TransitionControl(null, TransitionType.KEEP, null, null, false),
                new TransitionControl("<apache>", TransitionType.INITIALIZE, "/usr/sbin/apache2", null, true));
        assertThat(e.linesOf(TransitionControl.class).get(2).isLastName()).isTrue();
        assertThat(e.linesOf(Aggregator.class)).first().isEqualTo(new Aggregator(null, "proc:/self/exe", "/proc/self/exe"));
        assertThat(e.linesOf(AclGroupRule.class)).hasSize(3);
    }

    @Test
    void profilesAreModelled() throws Exception {
        ProfilePolicy p = PolicyParser.parseProfilePolicy("p", PROFILES);
        assertThat(p.lines()).contains(new ProfileConfig(null, 3, "file", "open",
                ConfigValue.of(ProfileMode.ENFORCING, true, true)));
        assertThat(p.lines()).contains(new ProfileConfig(null, 3, "capability", null,
                new ConfigValue(false, ProfileMode.ENFORCING, null, null)));
        assertThat(p.lines()).contains(new ProfileConfig(null, 3, "network", null, new ConfigValue(true, null, null, null)));
    }

    @Test
    void nonCanonicalInputIsNormalizedTheWayTomoyoDoes() throws Exception {
        DomainPolicy d = PolicyParser.parseDomainPolicy("d", "  <kernel>\t\r\nfile   write/read  /x \n");
        assertThat(d.print()).isEqualTo("<kernel>\nfile read/write /x\n");
        ExceptionPolicy e = PolicyParser.parseExceptionPolicy("e", "initialize_domain   /a  from   any");
        assertThat(e.print()).isEqualTo("initialize_domain /a from any\n");
    }

    @Test
    void errorsNameFileLineAndReasonAndAllAreReported() {
        String domains = """
                file read /x
                <kernel>
                file reading /x
                file read /a\\101
                file read/rename /a
                use_profile 300
                <kernel> relative
                <kernel>
                file read /tmp/a b
                file read /etc/passwd <kernel> /x
                bogus directive
                """;
        String exceptions = """
                initialize_domain <kernel> /x
                keep_domain /a /b
                aggregator /a /b\\*
                frobnicate /x
                path_group G /a b
                number_group N 10-1
                acl_group 256 file read /a
                """;
        String profiles = """
                PROFILE_VERSION=x
                0-CONFIG={ mode=strict }
                0-CONFIG::fish={ mode=learning }
                0-CONFIG::file::fly={ mode=learning }
                0-CONFIG=mode=learning
                256-COMMENT=x
                0-PREFERENCE={ max_learning_entry=-1 }
                0-CONFIG={ mode=learning mode=enforcing }
                """;
        PolicyParseException ex = catchThrowableOfType(PolicyParseException.class,
                () -> PolicySet.parse(domains, exceptions, profiles));
        assertThat(ex).isNotNull();
        assertThat(ex.errors()).extracting(PolicyError::toString).containsExactly(
                "domain_policy.conf:1: 'file read /x' before the first domain name line",
                "domain_policy.conf:3: unknown file operation 'reading'",
                "domain_policy.conf:4: invalid path '/a\\101' (TOMOYO-encoded name, pattern or @path_group expected)",
                "domain_policy.conf:5: 'read/rename' mixes operations that take different arguments; write one line per kind",
                "domain_policy.conf:6: use_profile needs one number in 0..255",
                "domain_policy.conf:7: invalid domain name '<kernel> relative' (\"<namespace>\" then absolute program paths, TOMOYO-encoded, separated by one space)",
                "domain_policy.conf:8: domain already defined at line 2",
                "domain_policy.conf:9: invalid condition 'b' (LEFT=RIGHT or LEFT!=RIGHT expected)",
                "domain_policy.conf:10: a domain transition preference is allowed only on 'file execute'",
                "domain_policy.conf:11: unknown directive 'bogus directive'",
                "exception_policy.conf:1: invalid program '<kernel> /x' (an absolute path or \"any\")",
                "exception_policy.conf:2: invalid domain '/a /b' (a domain name, a program path meaning \"domains whose last program is\", or \"any\")",
                "exception_policy.conf:3: the aggregated name must be an absolute path without patterns: '/b\\*'",
                "exception_policy.conf:4: unknown exception policy directive 'frobnicate'",
                "exception_policy.conf:5: path_group needs a group name and one member",
                "exception_policy.conf:6: number_group N member: range '10-1' has its low end above its high end",
                "exception_policy.conf:7: acl_group needs a group number in 0..255 and a rule",
                "profile.conf:1: PROFILE_VERSION needs a number (20150505)",
                "profile.conf:2: unknown mode 'strict' (disabled, learning, permissive, enforcing)",
                "profile.conf:3: unknown category 'fish' (file, network, misc, capability, ipc)",
                "profile.conf:4: unknown operation 'fly' in category file",
                "profile.conf:5: CONFIG value must be '{ mode=... grant_log=yes|no reject_log=yes|no }' or '{ use_default }'",
                "profile.conf:6: profile 256 is not in 0..255",
                "profile.conf:7: invalid preference 'max_learning_entry=-1' (key=unsigned 32-bit number expected)",
                "profile.conf:8: mode given twice");
        assertThat(ex.getMessage()).startsWith("domain_policy.conf:1: ");
    }

    @Test
    void rawNonAsciiBytesAreRefusedButCommentsMayHoldThem() throws Exception {
        assertThatThrownBy(() -> PolicyParser.parseDomainPolicy("d", "<kernel>\nfile read /caf\u00e9\n"))
                .isInstanceOf(PolicyParseException.class)
                .hasMessage("d:2: byte 0xe9 at column 15 is not allowed (TOMOYO writes such bytes in names as \\ooo)");
        String withComment = "# caf\u00e9\n<kernel>\n";
        assertThat(PolicyParser.parseDomainPolicy("d", withComment).print()).isEqualTo(withComment);
    }

    @Test
    void tooLongDomainNamesAreRefusedAsTomoyoCannotCreateThem() {
        String name = "<kernel> /" + "a".repeat(4086 - 10);
        assertThat(name.length()).isEqualTo(4086);
        assertThatThrownBy(() -> PolicyParser.parseDomainPolicy("d", name + "\n"))
                .hasMessageContaining("4086 bytes or more");
    }
}
