package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.Map;

@Command(name = "unload", mixinStandardHelpOptions = true,
        description = {"Detach the BPF programs, remove the pins under /sys/fs/bpf/tomoyoctl and stop the daemon.",
                "Enforcement ends; the policy files are left as they are."})
final class UnloadCommand extends ClientCommand {

    @Override
    int run(ControlClient client) throws IOException {
        Map<String, Object> r = client.call(new Request.Unload());
        out().println(r.containsKey("message") ? str(r, "message") : "unloaded");
        return warnings(r);
    }
}
