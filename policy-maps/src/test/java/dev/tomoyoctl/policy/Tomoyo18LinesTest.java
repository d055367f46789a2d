package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The saved policy is pure TOMOYO 2.6 (Debian's tomoyo-checkpolicy finds no error) and the
 * lines 2.6 rejects live in the tomoyo18 side files, loaded back into the same domains.
 */
class Tomoyo18LinesTest {
    static final Path CHECKPOLICY = Path.of("/usr/sbin/tomoyo-checkpolicy");

    /** Every rule kind the parser knows, in one domain (plus an acl_group of each). */
    static final String EVERY_KIND = """
            <kernel>
            use_profile 0

            <kernel> /usr/bin/x
            use_profile 1
            use_group 0
            quota_exceeded

            file read/write/append /etc/hostname
            file execute /usr/bin/cat
            file unlink/getattr/rmdir/truncate/symlink/chroot/unmount /tmp/x
            file create /tmp/y 0644
            file mkdir /tmp/d/ 0755
            file chmod /tmp/y 0600
            file chown /tmp/y 0
            file ioctl /dev/tty 0x5401
            file mkblock /dev/b 0600 8 0
            file link /tmp/a /tmp/b
            file rename /tmp/a /tmp/b
            file pivot_root / /old/
            file mount /dev/sda1 /mnt/ ext4 0
            file read /tmp/\\*.log task.uid=0
            file read @LOGS
            file execute /usr/bin/sh exec.realpath="/usr/bin/dash" exec.argv[0]="/bin/sh"
            network inet stream connect 127.0.0.1 80
            network inet stream bind/listen ::1 1024-65535
            network inet dgram send/connect 127.0.0.1 53
            network inet raw connect 10.0.0.0-10.0.0.255 1
            network inet stream connect @ADDRS @PORTS
            network unix stream connect /run/x.sock
            network unix dgram send/connect \\000abstract
            network unix seqpacket bind anonymous
            capability net_bind_service
            capability sys_admin task.uid=0
            ipc signal 15 <kernel> /usr/bin/sleep
            misc env PATH
            task manual_domain_transition <kernel> /usr/bin/x
            task auto_domain_transition <kernel> /usr/bin/y
            """;

    static final String EXCEPTIONS = """
            initialize_domain /usr/bin/mkdir from any
            keep_domain <kernel> /usr/bin/x /usr/bin/dash
            no_keep_domain any from <kernel> /usr/bin/x
            reset_domain /usr/bin/z from any
            aggregator /usr/bin/a\\* /usr/bin/a
            path_group LOGS /var/log/\\*
            number_group PORTS 1-2
            address_group ADDRS 127.0.0.1
            acl_group 0 file read /etc/x
            acl_group 0 capability net_raw
            acl_group 0 ipc signal 9 <kernel>
            acl_group 0 network inet dgram connect 127.0.0.1 53
            """;

    static final String PROFILES = "PROFILE_VERSION=20150505\n0-CONFIG={ mode=disabled }\n1-CONFIG={ mode=learning }\n";

    @TempDir
    Path tmp;

    private static String checkpolicy(String kind, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(CHECKPOLICY.toString(), kind).redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theSavedPolicyPassesDebiansTomoyoCheckpolicyWithoutErrors() throws Exception {
        assumeTrue(Files.isExecutable(CHECKPOLICY), "tomoyo-tools not installed");
        PolicySet p = PolicySet.parse(EVERY_KIND, EXCEPTIONS, PROFILES);
        Path dir = tmp.resolve("etc");
        p.save(dir);
        // Without the split, the originals are what tomoyo-checkpolicy rejects.
        Path raw = Files.writeString(tmp.resolve("raw.conf"), EVERY_KIND);
        assertThat(checkpolicy("d", raw)).contains("'capability' is a bad argument").contains("'connect' is a bad argument")
                .contains("'ipc' is a bad argument").contains("'task' is a bad argument");
        String d = checkpolicy("d", dir.resolve(PolicySet.DOMAIN_POLICY));
        String e = checkpolicy("e", dir.resolve(PolicySet.EXCEPTION_POLICY));
        assertThat(d).as(Files.readString(dir.resolve(PolicySet.DOMAIN_POLICY))).containsPattern(" 0 Errors?\\s").doesNotContain("ERROR");
        assertThat(e).as(Files.readString(dir.resolve(PolicySet.EXCEPTION_POLICY))).containsPattern(" 0 Errors?\\s")
                .doesNotContain("ERROR");
    }

    @Test
    void tomoyo18LinesGoToTheSideFilesAndLoadBackIntoTheSameDomains() throws Exception {
        PolicySet p = PolicySet.parse(EVERY_KIND, EXCEPTIONS, PROFILES);
        Path dir = tmp.resolve("etc");
        p.save(dir);
        String main = Files.readString(dir.resolve(PolicySet.DOMAIN_POLICY));
        String side = Files.readString(dir.resolve(Tomoyo18Lines.DOMAIN_FILE));
        assertThat(main).doesNotContain("capability").doesNotContain("ipc signal").doesNotContain("auto_domain_transition")
                .contains("network inet dgram send 127.0.0.1 53\n").contains("network unix dgram send \\000abstract\n")
                .doesNotContain("raw connect").contains("task manual_domain_transition").contains("misc env PATH");
        assertThat(side).startsWith("# ").endsWith("""

                <kernel> /usr/bin/x
                network inet dgram connect 127.0.0.1 53
                network inet raw connect 10.0.0.0-10.0.0.255 1
                network unix dgram connect \\000abstract
                capability net_bind_service
                capability sys_admin task.uid=0
                ipc signal 15 <kernel> /usr/bin/sleep
                task auto_domain_transition <kernel> /usr/bin/y
                """);
        String exc = Files.readString(dir.resolve(PolicySet.EXCEPTION_POLICY));
        assertThat(exc).contains("keep_domain any from <kernel> /usr/bin/x /usr/bin/dash\n")
                .doesNotContain("capability").doesNotContain("ipc").doesNotContain("dgram connect");
        assertThat(Files.readString(dir.resolve(Tomoyo18Lines.EXCEPTION_FILE))).endsWith("""
                acl_group 0 capability net_raw
                acl_group 0 ipc signal 9 <kernel>
                acl_group 0 network inet dgram connect 127.0.0.1 53
                """);

        PolicySet back = PolicySet.load(dir);
        String merged = back.printDomain("<kernel> /usr/bin/x");
        for (String l : List.of("capability net_bind_service", "capability sys_admin task.uid=0",
                "ipc signal 15 <kernel> /usr/bin/sleep", "task auto_domain_transition <kernel> /usr/bin/y",
                "network inet dgram connect 127.0.0.1 53", "network inet dgram send 127.0.0.1 53")) {
            assertThat(merged).contains(l + "\n");
        }
        // The saved form is a fixed point: saving what was loaded writes the same files.
        assertThat(back.printAll()).isEqualTo(p.printAll());
        assertThat(back.exceptionPolicy().print()).contains("acl_group 0 capability net_raw");
    }

    @Test
    void aPolicyWithoutTomoyo18LinesHasNoSideFileAndAStaleOneIsRemoved() throws Exception {
        Path dir = tmp.resolve("etc");
        PolicySet.parse(EVERY_KIND, EXCEPTIONS, PROFILES).save(dir);
        assertThat(dir.resolve(Tomoyo18Lines.DOMAIN_FILE)).exists();
        PolicySet plain = PolicySet.parse("<kernel>\nuse_profile 0\n", "", PROFILES);
        assertThat(plain.printAll()).doesNotContainKeys(Tomoyo18Lines.DOMAIN_FILE, Tomoyo18Lines.EXCEPTION_FILE);
        plain.save(dir);
        assertThat(dir.resolve(Tomoyo18Lines.DOMAIN_FILE)).doesNotExist();
        assertThat(dir.resolve(Tomoyo18Lines.EXCEPTION_FILE)).doesNotExist();
        assertThat(PolicySet.load(dir).printDomainPolicy()).isEqualTo("<kernel>\nuse_profile 0\n");
    }

    @Test
    void sideFileErrorsNameTheSideFileAndLine() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PolicySet.DOMAIN_POLICY), "<kernel>\nuse_profile 0\n");
        Files.writeString(dir.resolve(Tomoyo18Lines.DOMAIN_FILE),
                "# c\n<kernel>\ncapability chown\nuse_profile 3\n<kernel> /nope\ncapability kill\n");
        Files.writeString(dir.resolve(Tomoyo18Lines.EXCEPTION_FILE), "initialize_domain /x from any\n");
        assertThatThrownBy(() -> PolicySet.load(dir)).isInstanceOfSatisfying(PolicyParseException.class, e ->
                assertThat(e.errors()).extracting(PolicyError::toString).containsExactlyInAnyOrder(
                        Tomoyo18Lines.DOMAIN_FILE + ":4: 'use_profile 3' belongs in domain_policy.conf (this file holds only rules)",
                        Tomoyo18Lines.DOMAIN_FILE + ":5: domain '<kernel> /nope' is not defined in domain_policy.conf "
                                + "(this file only adds rules to its domains)",
                        Tomoyo18Lines.EXCEPTION_FILE + ":1: 'initialize_domain /x from any' belongs in "
                                + "exception_policy.conf (this file holds only acl_group lines)"));
        Files.writeString(dir.resolve(Tomoyo18Lines.DOMAIN_FILE), "<kernel>\ncapability chwn\n");
        Files.delete(dir.resolve(Tomoyo18Lines.EXCEPTION_FILE));
        assertThatThrownBy(() -> PolicySet.load(dir)).isInstanceOfSatisfying(PolicyParseException.class, e ->
                assertThat(e.errors().get(0).toString()).startsWith(Tomoyo18Lines.DOMAIN_FILE + ":2: unknown capability"));
    }

    @Test
    void warningsOfMergedLinesNameTheFileTheyAreIn() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PolicySet.PROFILE), PROFILES);
        Files.writeString(dir.resolve(PolicySet.DOMAIN_POLICY),
                "<kernel>\nuse_profile 0\n\n<kernel> /x\nuse_profile 1\n\nfile read /etc/a\n\n<kernel> /y\nuse_profile 1\n\nfile unlink /tmp/q\n");
        Files.writeString(dir.resolve(Tomoyo18Lines.DOMAIN_FILE),
                "<kernel> /x\ncapability chown\nnetwork inet dgram connect 127.0.0.1 53\n");
        List<PolicyWarning> w = PolicySet.load(dir).check();
        assertThat(w).extracting(x -> x.file() + ":" + x.line())
                .contains(Tomoyo18Lines.DOMAIN_FILE + ":3");
        // file unlink is on line 12 of domain_policy.conf, although two merged lines precede it
        // (only if the kernel side does not enforce unlink yet; then the warning names that line).
        assertThat(w).filteredOn(x -> x.file().equals(PolicySet.DOMAIN_POLICY))
                .allSatisfy(x -> assertThat(x.line()).isIn(12, 0));
    }

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

    /** Loading the saved files and saving again writes the same files; no rule is lost or added. */
    @Property(tries = 100)
    void theSavedFilesAreAFixedPointOfLoadThenSave(@ForAll("domains") DomainPolicy d,
                                                   @ForAll("exceptions") ExceptionPolicy e,
                                                   @ForAll("profiles") ProfilePolicy p) throws Exception {
        PolicySet set = PolicySet.parse(d.print(), e.print(), p.print());
        Map<String, String> files = set.printAll();
        PolicySet back = PolicySet.parse(files.get(PolicySet.DOMAIN_POLICY), files.get(Tomoyo18Lines.DOMAIN_FILE),
                files.get(PolicySet.EXCEPTION_POLICY), files.get(Tomoyo18Lines.EXCEPTION_FILE),
                files.get(PolicySet.PROFILE), Map.of());
        assertThat(back.printAll()).isEqualTo(files);
        // Same number of domains and of ACL lines (a network rule split in two counts once per part).
        assertThat(back.domainPolicy().size()).isEqualTo(set.domainPolicy().size());
        for (var dom : set.domainPolicy().domains()) {
            long acl = dom.lines().stream().filter(l -> l.isAcl()).mapToLong(l -> {
                Tomoyo18Lines.Split s = Tomoyo18Lines.split(l);
                return (s.tomoyo26() != null ? 1 : 0) + (s.tomoyo18() != null ? 1 : 0);
            }).sum();
            assertThat(back.domain(dom.name()).lines().stream().filter(l -> l.isAcl()).count()).isEqualTo(acl);
        }
    }
}
