package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Replace the daemon's policy with the policy files of DIR, all or nothing:",
                "everything is parsed and compiled before the kernel's maps are touched; on any error",
                "the errors are printed as FILE:LINE: REASON and nothing changes (exit 2)."})
final class PolicyLoadCommand extends ClientCommand {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Policy directory (default: the daemon's policy directory).")
    Path dir;

    @Override
    int run(ControlClient client) throws IOException {
        String source = dir == null ? null : dir.toAbsolutePath().normalize().toString();
        Map<String, Object> r = client.call(new Request.PolicyLoad(source));
        out().println("loaded " + num(r, "domains") + " domains from " + str(r, "dir")
                + " (generation " + num(r, "generation") + ")");
        return warnings(r);
    }
}
