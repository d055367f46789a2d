package dev.tomoyoctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands that need no daemon, and how commands that need one fail without it. */
class CliTest {
    @TempDir
    Path tmp;

    @Test
    void withoutADaemonEachClientCommandSaysSoInOneLineAndExits2() {
        Path sock = tmp.resolve("none.sock");
        for (List<String> cmd : List.of(List.of("status"), List.of("domains"), List.of("policy", "show"),
                List.of("policy", "save"), List.of("policy", "load"), List.of("profile", "set", "3", "<kernel>"),
                List.of("learn", "--", "/bin/true"), List.of("audit"), List.of("unload"))) {
            // --socket goes right after the (sub)command's name
            int at = cmd.get(0).equals("policy") || cmd.get(0).equals("profile") ? 2 : 1;
            java.util.List<String> full = new java.util.ArrayList<>(cmd);
            full.add(at, "--socket=" + sock);
            Cli r = Cli.run(full.toArray(new String[0]));
            assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", cmd))
                    .isEqualTo("tomoyoctl: no daemon on " + sock + " (start it with: tomoyoctl daemon)\n");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void usageErrorsExit2AndHelpExits0() {
        Cli none = Cli.run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required subcommand");
        Cli bad = Cli.run("stauts");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Unmatched argument").contains("status");
        Cli help = Cli.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("learn").contains("policy").contains("Exit status: 0 ok, 1 done with warnings, 2 error.");
        assertThat(Cli.run("help", "learn").out()).contains("initialize_domain CMD-PATH from any");
        assertThat(Cli.run("profile", "set", "x", "<kernel>").exit()).isEqualTo(2);
    }

    private void defaultProfilesNextToTheFile() throws Exception {
        // A domain file is checked in the context of the profile.conf next to it.
        Files.writeString(tmp.resolve("profile.conf"), "PROFILE_VERSION=20150505\n"
                + "0-CONFIG={ mode=disabled grant_log=no reject_log=yes }\n"
                + "1-CONFIG={ mode=learning grant_log=no reject_log=yes }\n");
    }

    @Test
    void policyCheckCleanFileExits0() throws Exception {
        defaultProfilesNextToTheFile();
        Path f = tmp.resolve("domain_policy.conf");
        Files.writeString(f, "<kernel>\nuse_profile 0\n\n<kernel> /bin/x\nuse_profile 1\n\nfile read /etc/hostname\n");
        Cli r = Cli.run("policy", "check", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void policyCheckErrorsNameFileAndLineAndExit2() throws Exception {
        Path f = tmp.resolve("domain_policy.conf");
        Files.writeString(f, "<kernel>\nuse_profile 0\n\nfile read /etc/ok\nfile raed /etc/x\nuse_profile 300\n");
        Cli r = Cli.run("policy", "check", f.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).contains(f + ":5: ").contains(f + ":6: ").contains("2 errors, 0 warnings");
    }

    @Test
    void aDomainUsingAnUndefinedProfileIsAWarning() throws Exception {
        Path f = tmp.resolve("domain_policy.conf");
        Files.writeString(f, "<kernel>\nuse_profile 0\n");
        Cli r = Cli.run("policy", "check", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(f + ":2: warning: profile 0 is not defined");
    }

    @Test
    void policyCheckWarnsAboutWhatIsNotEnforcedAndExits1() throws Exception {
        defaultProfilesNextToTheFile();
        Path f = tmp.resolve("domain_policy.conf");
        // network rules are enforced now; a datagram "connect" is kept but never matches (TOMOYO
        // checks connect() on a datagram socket as send)
        Files.writeString(f, "<kernel>\nuse_profile 0\n\nfile read /tmp/x task.pid=1\nnetwork inet dgram connect 127.0.0.1 53\n"
                + "network inet stream connect 127.0.0.1 80\ncapability net_bind_service\n"
                + "ipc signal 15 <kernel> /usr/bin/sleep\n");
        Cli r = Cli.run("policy", "check", f.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains(f + ":4: warning: ").contains(f + ":5: warning: ").contains("never matches")
                .doesNotContain(":6: warning").doesNotContain(":7: warning").doesNotContain(":8: warning")
                .contains("task.pid").contains("0 errors, 2 warnings");
    }

    @Test
    void anUnknownCapabilityOrABadAddressIsAnErrorNamingTheLine() throws Exception {
        defaultProfilesNextToTheFile();
        Path f = tmp.resolve("domain_policy.conf");
        Files.writeString(f, "<kernel>\nuse_profile 0\n\ncapability net_bind_servic\nnetwork inet stream connect 127.0.0.300 80\n");
        Cli r = Cli.run("policy", "check", f.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).contains(f + ":4: ").contains("net_bind_servic").contains(f + ":5: ");
    }

    @Test
    void policyCheckOfADirectoryAndOfAnUnknownName() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n0-CONFIG={ mode=bogus }\n");
        Cli r = Cli.run("policy", "check", dir.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).contains(dir.resolve("profile.conf") + ":2: ");

        defaultProfilesNextToTheFile();
        Path odd = tmp.resolve("mine.txt");
        Files.writeString(odd, "<kernel>\nuse_profile 0\n");
        assertThat(Cli.run("policy", "check", odd.toString()).out()).contains("cannot tell which policy file");
        assertThat(Cli.run("policy", "check", "--type", "domain", odd.toString()).exit()).isZero();
    }

    @Test
    void tomoyo18SideFilesAreCheckedMergedWithTheirDomains() throws Exception {
        defaultProfilesNextToTheFile();
        Files.writeString(tmp.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n<kernel> /bin/x\nuse_profile 1\n\n"
                + "file read /etc/hostname\n");
        Path side = tmp.resolve("domain_policy.tomoyo18.conf");
        Files.writeString(side, "# kept for TOMOYO 1.8\n<kernel> /bin/x\ncapability net_bind_service\n"
                + "ipc signal 15 <kernel> /usr/bin/sleep\n");
        Cli clean = Cli.run("policy", "check", side.toString());
        assertThat(clean.exit()).as(clean.toString()).isZero();
        assertThat(Cli.run("policy", "check", tmp.toString()).exit()).isZero();

        Files.writeString(side, "<kernel> /bin/x\ncapability net_bind_servic\nnetwork inet dgram connect 127.0.0.1 53\n"
                + "<kernel> /bin/y\ncapability kill\n");
        Cli bad = Cli.run("policy", "check", side.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.out()).contains(side + ":2: unknown capability").contains("1 error, 0 warnings");
        Files.writeString(side, "<kernel> /bin/x\nnetwork inet dgram connect 127.0.0.1 53\n<kernel> /bin/y\ncapability kill\n");
        bad = Cli.run("policy", "check", side.toString());
        assertThat(bad.out()).contains(side + ":3: domain '<kernel> /bin/y' is not defined in domain_policy.conf");
        Files.writeString(side, "<kernel> /bin/x\nnetwork inet dgram connect 127.0.0.1 53\n");
        // Checked as a directory, the warning names the side file's line, not a merged position.
        Cli warn = Cli.run("policy", "check", tmp.toString());
        assertThat(warn.exit()).as(warn.toString()).isEqualTo(1);
        assertThat(warn.out()).contains(side + ":2: warning: ").contains("never matches");
    }

    @Test
    void domainTreeIndentsChildrenUnderParents() {
        List<String> lines = DomainTree.render(List.of(
                new DomainTree.Domain("<kernel> /usr/sbin/sshd /usr/bin/bash", 1),
                new DomainTree.Domain("<kernel>", 0),
                new DomainTree.Domain("<kernel> /usr/sbin/sshd", 1),
                new DomainTree.Domain("<kernel> /usr/sbin/sshd-keygen", 0),
                new DomainTree.Domain("<kernel> /gone /orphan", 3)));
        assertThat(lines).containsExactly(
                "  0 <kernel>",
                "  1   /usr/sbin/sshd",
                "  1     /usr/bin/bash",
                "  0   /usr/sbin/sshd-keygen",
                "  3 <kernel> /gone /orphan");
    }

    @Test
    void learnResolvesTheProgramAsExecvpAndTheKernelWould() throws Exception {
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        Path real = Files.writeString(bin.resolve("real.sh"), "#!/bin/sh\n");
        real.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("link"), real);
        assertThat(LearnCommand.resolve("link", "/nonexistent:" + bin)).isEqualTo(real.toRealPath());
        assertThat(LearnCommand.resolve(bin + "/link", null)).isEqualTo(real.toRealPath());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LearnCommand.resolve("nope-x", bin.toString()))
                .hasMessage("nope-x: command not found in PATH");
    }
}
