package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.BpfKernel;
import dev.tomoyoctl.daemon.Daemon;
import dev.tomoyoctl.daemon.DaemonConfig;
import dev.tomoyoctl.daemon.Kernel;
import dev.tomoyoctl.daemon.NoKernel;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The body of "tomoyoctl daemon", in its own class so that the loader, Netty and the policy
 * compiler are loaded only when a daemon really starts (picocli inspects DaemonCommand on every
 * invocation).
 */
final class DaemonRunner {
    private DaemonRunner() {
    }

    static int run(DaemonCommand c) {
        PrintWriter err = c.spec.commandLine().getErr();
        Kernel kernel;
        if (c.noKernel) {
            kernel = new NoKernel();
        } else {
            try {
                kernel = BpfKernel.attachOrAdopt(c.pinDir, c.bpfObject);
            } catch (IOException | RuntimeException e) {
                err.println("tomoyoctl: cannot attach the BPF programs: " + e.getMessage()
                        + " (--no-kernel runs the daemon without enforcement)");
                err.flush();
                return Exit.ERROR;
            }
        }
        DaemonConfig config = new DaemonConfig(c.socket, c.policyDir.toAbsolutePath(), c.logDir.toAbsolutePath(),
                c.checkpointMs);
        Daemon daemon;
        try {
            daemon = Daemon.start(config, kernel);
        } catch (Daemon.StartException e) {
            err.println("tomoyoctl: " + e.getMessage());
            e.details().forEach(err::println);
            err.flush();
            return Exit.ERROR;
        }
        Thread hook = new Thread(daemon::stop, "tomoyoctl-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
        return Exit.OK;
    }
}
