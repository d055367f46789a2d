package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Protocol;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that talks to the running daemon. Failures end as one "tomoyoctl: ..." line on
 * stderr (plus "file:line: reason" lines for a refused policy) and exit code 2.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:TOMOYOCTL_SOCKET:-/run/tomoyoctl.sock}",
            description = "The daemon's control socket (default: ${DEFAULT-VALUE}).")
    Path socket = Protocol.DEFAULT_SOCKET;

    /** The command's work, with a connected client; returns the exit code. */
    abstract int run(ControlClient client) throws IOException;

    @Override
    public final Integer call() {
        try (ControlClient client = ControlClient.connect(socket)) {
            return run(client);
        } catch (ControlClient.RemoteException e) {
            err().println("tomoyoctl: " + e.getMessage());
            for (String d : e.details()) {
                err().println(d);
            }
            return Exit.ERROR;
        } catch (CliException e) {
            err().println("tomoyoctl: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            err().println("tomoyoctl: " + e.getMessage());
            return Exit.ERROR;
        } finally {
            out().flush();
            err().flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints the response's "warnings" to stderr; returns WARNINGS if there were any. */
    int warnings(Map<String, Object> response) {
        Object w = response.get(Protocol.WARNINGS);
        if (!(w instanceof List<?> list) || list.isEmpty()) {
            return Exit.OK;
        }
        for (Object o : list) {
            err().println("tomoyoctl: warning: " + o);
        }
        return Exit.WARNINGS;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
