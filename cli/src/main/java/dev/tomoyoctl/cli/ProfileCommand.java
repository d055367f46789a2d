package dev.tomoyoctl.cli;

import picocli.CommandLine.Command;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Assign profiles to domains.", subcommands = ProfileSetCommand.class)
final class ProfileCommand {
}
