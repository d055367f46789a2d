package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Map;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the daemon's domain policy in TOMOYO's domain_policy.conf format.")
final class PolicyShowCommand extends ClientCommand {

    @Parameters(arity = "0..1", paramLabel = "DOMAIN",
            description = "Only this domain (a full name, e.g. '<kernel> /usr/sbin/sshd'); default: all domains.")
    String domain;

    @Option(names = {"-r", "--recursive"}, description = "With DOMAIN: also every domain below it.")
    boolean recursive;

    @Override
    int run(ControlClient client) throws IOException {
        if (recursive && domain == null) {
            throw new CliException("--recursive needs a DOMAIN", Exit.ERROR);
        }
        Map<String, Object> r = client.call(new Request.PolicyShow(domain, recursive));
        out().print(str(r, "policy"));
        return warnings(r);
    }
}
