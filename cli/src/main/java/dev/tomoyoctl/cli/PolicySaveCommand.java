package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "save", mixinStandardHelpOptions = true,
        description = {"Write the daemon's policy, including everything learned, as TOMOYO policy files.",
                "Each file is replaced atomically (written aside, synced, renamed)."})
final class PolicySaveCommand extends ClientCommand {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Target directory (default: the daemon's policy directory).")
    Path dir;

    @Override
    int run(ControlClient client) throws IOException {
        // The daemon runs in another directory: send an absolute path.
        String target = dir == null ? null : dir.toAbsolutePath().normalize().toString();
        Map<String, Object> r = client.call(new Request.PolicySave(target));
        out().println("saved " + num(r, "domains") + " domains to " + str(r, "dir"));
        return warnings(r);
    }
}
