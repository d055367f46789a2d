package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.ControlClient;
import dev.tomoyoctl.daemon.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Map;

@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Set the profile of DOMAIN (use_profile N), in the kernel and in the saved policy.",
                "Profiles of TOMOYO's default profile.conf: 0 disabled, 1 learning, 2 permissive, 3 enforcing."})
final class ProfileSetCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "N", description = "Profile number, 0-255.")
    int profile;

    @Parameters(index = "1", paramLabel = "DOMAIN", description = "Full domain name, e.g. '<kernel> /usr/sbin/sshd'.")
    String domain;

    @Option(names = {"-r", "--recursive"}, description = "Also every domain below DOMAIN.")
    boolean recursive;

    @Override
    int run(ControlClient client) throws IOException {
        if (profile < 0 || profile > 255) {
            throw new CliException("profile must be 0-255, got " + profile, Exit.ERROR);
        }
        Map<String, Object> r = client.call(new Request.ProfileSet(profile, domain, recursive));
        long n = num(r, "domains");
        out().println("profile " + profile + " set for " + n + (n == 1 ? " domain" : " domains"));
        return warnings(r);
    }
}
