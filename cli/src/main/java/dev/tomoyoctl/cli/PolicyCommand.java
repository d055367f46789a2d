package dev.tomoyoctl.cli;

import picocli.CommandLine.Command;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show, save, load, check or patternize TOMOYO policy (domain_policy.conf, exception_policy.conf, profile.conf).",
        subcommands = {PolicyShowCommand.class, PolicySaveCommand.class, PolicyLoadCommand.class,
                PolicyCheckCommand.class, PolicyPatternizeCommand.class})
final class PolicyCommand {
}
