package dev.tomoyoctl.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a real daemon started by "tomoyoctl daemon --no-kernel" in this JVM: the whole
 * control path (picocli, client, socket, daemon, policy files) except the BPF programs.
 */
class DaemonCliTest {
    @TempDir
    Path tmp;

    private Path sock;
    private Path etc;
    private CompletableFuture<Cli> daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        sock = tmp.resolve("ctl.sock");
        etc = tmp.resolve("etc");
        daemon = CompletableFuture.supplyAsync(() -> Cli.run("daemon", "--no-kernel", "--policy-dir", etc.toString(),
                "--socket", sock.toString(), "--log-dir", tmp.resolve("log").toString()));
        for (int i = 0; i < 500 && !Files.exists(sock); i++) {
            Thread.sleep(10);
            if (daemon.isDone()) {
                throw new AssertionError("daemon exited: " + daemon.get());
            }
        }
        assertThat(sock).exists();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (!daemon.isDone()) {
            Cli.run("unload", "--socket", sock.toString());
        }
        Cli d = daemon.get(10, TimeUnit.SECONDS);
        assertThat(d.exit()).as(d.toString()).isZero();
    }

    private Cli run(String... args) {
        String[] full = new String[args.length + 1];
        int at = args[0].equals("policy") || args[0].equals("profile") ? 2 : 1;
        System.arraycopy(args, 0, full, 0, at);
        full[at] = "--socket=" + sock;
        System.arraycopy(args, at, full, at + 1, args.length - at);
        return Cli.run(full);
    }

    @Test
    void statusAndDomainsOfAFreshDaemon() {
        Cli s = run("status");
        assertThat(s.exit()).as(s.toString()).isZero();
        assertThat(s.out()).contains("policyDir: " + etc).contains("kernel.state: none").contains("policy.domains: 1");
        Cli d = run("domains");
        assertThat(d.out()).isEqualTo("  0 <kernel>\n");
        assertThat(run("domains", "--flat").out()).isEqualTo("<kernel>\n");
    }

    @Test
    void learnRunsTheCommandInItsOwnDomainAndPrintsItsPolicy() throws Exception {
        Path script = tmp.resolve("work load.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        script.toFile().setExecutable(true);
        Cli l = run("learn", "--", script.toString());
        assertThat(l.exit()).as(l.toString()).isZero();
        String domain = "<kernel> " + script.toRealPath().toString().replace(" ", "\\040");
        assertThat(l.err()).contains("tomoyoctl: learning in " + domain + " (profile 1)");
        assertThat(l.out()).startsWith(domain + "\nuse_profile 1\n");
        assertThat(run("domains", "--flat").out()).isEqualTo("<kernel>\n" + domain + "\n");
        assertThat(Files.readString(etc.resolve("exception_policy.conf")))
                .contains("initialize_domain " + domain.substring("<kernel> ".length()) + " from any");

        Cli p = run("profile", "set", "3", domain, "-r");
        assertThat(p.exit()).as(p.toString()).isZero();
        assertThat(p.out()).isEqualTo("profile 3 set for 1 domain\n");
        assertThat(run("policy", "show", domain).out()).isEqualTo(domain + "\nuse_profile 3\n\n\n");
        assertThat(run("domains").out()).isEqualTo("  0 <kernel>\n  3   " + domain.substring(9) + "\n");
    }

    @Test
    void learnOfAFailingCommandWarnsAndExits1() {
        Cli l = run("learn", "--profile", "2", "--", "false");
        assertThat(l.exit()).as(l.toString()).isEqualTo(1);
        assertThat(l.err()).contains("(profile 2)").contains("tomoyoctl: warning: false exited with status 1");
        assertThat(run("learn", "--", "no-such-command-xyz").err())
                .isEqualTo("tomoyoctl: no-such-command-xyz: command not found in PATH\n");
    }

    @Test
    void policySaveAndLoadAllOrNothing() throws Exception {
        Path saved = tmp.resolve("saved");
        Cli s = run("policy", "save", saved.toString());
        assertThat(s.exit()).as(s.toString()).isZero();
        assertThat(s.out()).isEqualTo("saved 1 domains to " + saved + "\n");
        assertThat(saved.resolve("profile.conf")).exists();

        Files.writeString(saved.resolve("domain_policy.conf"),
                "<kernel>\nuse_profile 0\n\n<kernel> /bin/x\nuse_profile 2\n\nfile read /etc/x\n");
        Cli ok = run("policy", "load", saved.toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).isEqualTo("loaded 2 domains from " + saved + " (generation 2)\n");

        Files.writeString(saved.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\nfile read\n");
        Cli bad = run("policy", "load", saved.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("tomoyoctl: policy in " + saved + " not loaded: 1 error; nothing was changed\n"
                + saved.resolve("domain_policy.conf") + ":4: ");
        assertThat(run("domains", "--flat").out()).isEqualTo("<kernel>\n<kernel> /bin/x\n");

        Files.writeString(saved.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\nfile read /tmp/x task.pid=1\n");
        Cli warn = run("policy", "load", saved.toString());
        assertThat(warn.exit()).as(warn.toString()).isEqualTo(1);
        assertThat(warn.err()).contains("tomoyoctl: warning: domain_policy.conf:4: ");
    }

    @Test
    void auditIsEmptyAtFirstInBothFormats() {
        Cli a = run("audit");
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(a.out()).isEmpty();
        assertThat(run("audit", "--json", "-n", "5").out()).isEmpty();
    }

    @Test
    void unknownDomainIsAnErrorNamingIt() {
        Cli r = run("profile", "set", "1", "<kernel> /nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("tomoyoctl: no domain '<kernel> /nope' in the policy");
    }

    @Test
    void unloadStopsTheDaemon() throws Exception {
        Cli u = run("unload");
        assertThat(u.exit()).as(u.toString()).isZero();
        assertThat(u.out()).contains("enforcement is off");
        Cli d = daemon.get(10, TimeUnit.SECONDS);
        assertThat(d.exit()).isZero();
        assertThat(sock).doesNotExist();
        assertThat(run("status").err()).startsWith("tomoyoctl: no daemon on ");
    }
}
