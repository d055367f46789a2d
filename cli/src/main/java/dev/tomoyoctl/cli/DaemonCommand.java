package dev.tomoyoctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the tomoyoctl daemon in the foreground (as root).",
                "",
                "Loads the policy (an empty directory gets TOMOYO's default profile.conf and the <kernel> domain),",
                "attaches the BPF-LSM programs or adopts the ones a previous daemon pinned, installs the policy,",
                "then names new domains, saves learned rules (on disk before the kernel's record is released) and",
                "writes audit records while serving the control socket. SIGTERM stops the daemon; enforcement",
                "continues through the pins until 'tomoyoctl unload'."})
final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy-dir", paramLabel = "DIR", defaultValue = "/etc/tomoyoctl",
            description = "Policy files: domain_policy.conf, exception_policy.conf, profile.conf (default: ${DEFAULT-VALUE}).")
    Path policyDir;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:TOMOYOCTL_SOCKET:-/run/tomoyoctl.sock}",
            description = "Control socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "/var/log/tomoyoctl",
            description = "Audit logs reject_NNN.log / grant_NNN.log (default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = "--pin-dir", paramLabel = "DIR", defaultValue = "/sys/fs/bpf/tomoyoctl",
            description = "Where programs and maps are pinned on the bpf filesystem (default: ${DEFAULT-VALUE}).")
    Path pinDir;

    @Option(names = "--bpf-object", paramLabel = "FILE",
            description = "BPF object to load instead of the tomoyo.bpf.o shipped in the jar.")
    Path bpfObject;

    @Option(names = "--no-kernel",
            description = "Do not attach anything: manage policy only (nothing is enforced or learned).")
    boolean noKernel;

    @Option(names = "--checkpoint-ms", paramLabel = "MS", defaultValue = "2000", hidden = true,
            description = "Longest time learned rules stay only in the journal (default: ${DEFAULT-VALUE}).")
    long checkpointMs;

    @Override
    public Integer call() {
        // One line per log record, on stderr (the JDK default takes two).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
        }
        return DaemonRunner.run(this);
    }
}
