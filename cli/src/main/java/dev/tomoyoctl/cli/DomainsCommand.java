package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "domains", mixinStandardHelpOptions = true,
        header = "List the domains as a tree (--flat: one full name per line).",
        description = {"List the domains the daemon knows, as a tree: profile number, then each domain's",
                "last program indented under its parent (as tomoyo-editpolicy shows them)."})
final class DomainsCommand extends ClientCommand {

    @Option(names = "--flat", description = "One full domain name per line, nothing else.")
    boolean flat;

    @Override
    int run(ControlClient client) throws IOException {
        Map<String, Object> r = client.call(new Request.Domains());
        List<DomainTree.Domain> domains = new ArrayList<>();
        if (r.get("domains") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> d) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> dm = (Map<String, Object>) d;
                    domains.add(new DomainTree.Domain(str(dm, "name"), (int) num(dm, "profile")));
                }
            }
        }
        if (flat) {
            domains.stream().map(DomainTree.Domain::name).sorted().forEach(out()::println);
        } else {
            DomainTree.render(domains).forEach(out()::println);
        }
        return Exit.OK;
    }
}
