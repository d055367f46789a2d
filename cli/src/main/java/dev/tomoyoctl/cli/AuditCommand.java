package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Json;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.Map;

@Command(name = "audit", mixinStandardHelpOptions = true,
        header = "Print recent audit records (rejected, and granted with grant_log).",
        description = {"Print recent audit records (granted with grant_log, rejected with reject_log) in TOMOYO's",
                "audit log format: a header line, the domain, the rule, a blank line. The daemon also writes",
                "them to /var/log/tomoyoctl/reject_NNN.log and grant_NNN.log (NNN = profile)."})
final class AuditCommand extends ClientCommand {

    @Option(names = {"-f", "--follow"}, description = "Keep printing new records as they arrive (until interrupted).")
    boolean follow;

    @Option(names = "--json", description = "One JSON object per record and line.")
    boolean json;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100",
            description = "How many recent records (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(ControlClient client) throws IOException {
        if (limit < 0) {
            throw new CliException("-n must not be negative", Exit.ERROR);
        }
        Request.Audit request = new Request.Audit(limit, follow);
        if (!follow) {
            printAll(client.call(request));
            return Exit.OK;
        }
        client.stream(request, m -> {
            printAll(m);
            if (m.get("record") instanceof Map<?, ?> rec) {
                print(rec);
            }
            out().flush();
            return !out().checkError(); // stop when stdout is gone (e.g. "| head")
        });
        return Exit.OK;
    }

    private void printAll(Map<String, Object> response) {
        if (response.get("records") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> rec) {
                    print(rec);
                }
            }
        }
    }

    private void print(Map<?, ?> record) {
        if (json) {
            out().println(Json.write(record));
        } else {
            String text = String.valueOf(record.get("text"));
            out().print(text.endsWith("\n") ? text : text + "\n");
            out().println();
        }
    }
}
