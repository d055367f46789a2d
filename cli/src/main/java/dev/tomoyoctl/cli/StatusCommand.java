package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.Map;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the daemon's state: kernel attachment, policy generation, domains, event counters.")
final class StatusCommand extends ClientCommand {

    @Override
    int run(ControlClient client) throws IOException {
        Map<String, Object> r = client.call(new Request.Status());
        print("", r);
        return Exit.OK;
    }

    /** Flattens the response into "key: value" lines ("kernel.generation: 3"), in the daemon's order. */
    private void print(String prefix, Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix + e.getKey();
            if ("ok".equals(key)) {
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> sub) {
                print(key + ".", sub);
            } else if (e.getValue() instanceof Iterable<?> list) {
                out().println(key + ": " + String.join(", ", toStrings(list)));
            } else {
                out().println(key + ": " + e.getValue());
            }
        }
    }

    private static java.util.List<String> toStrings(Iterable<?> list) {
        java.util.List<String> l = new java.util.ArrayList<>();
        list.forEach(o -> l.add(String.valueOf(o)));
        return l;
    }
}
