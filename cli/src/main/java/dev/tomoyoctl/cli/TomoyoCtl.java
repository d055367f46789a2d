package dev.tomoyoctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * tomoyoctl: TOMOYO-style path-based MAC on stock kernels through BPF-LSM.
 *
 * <p>Start-up matters (the CLI runs inside a slow emulated VM): commands other than "daemon"
 * load only picocli, this package and the plain-Java control client; Netty, the loader and the
 * policy compiler are loaded only by the classes that use them.
 */
@Command(name = "tomoyoctl", mixinStandardHelpOptions = true, versionProvider = TomoyoCtl.Version.class,
        description = {"TOMOYO Linux-style mandatory access control through BPF-LSM.", ""},
        footer = {"", "Exit status: 0 ok, 1 done with warnings, 2 error."},
        subcommands = {DaemonCommand.class, StatusCommand.class, DomainsCommand.class, PolicyCommand.class,
                ProfileCommand.class, LearnCommand.class, AuditCommand.class, UnloadCommand.class, HelpCommand.class})
public final class TomoyoCtl {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call execute on it with their own writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TomoyoCtl());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tomoyoctl: internal error: " + e);
            cmd.getErr().flush();
            return Exit.ERROR;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("tomoyoctl: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            cmd.getErr().flush();
            return Exit.ERROR;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TomoyoCtl.class.getPackage().getImplementationVersion();
            return new String[] {"tomoyoctl " + (v == null ? "(development build)" : v)};
        }
    }
}
