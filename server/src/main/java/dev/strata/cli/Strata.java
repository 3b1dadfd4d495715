package dev.strata.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code strata} command line. Every command exits 0 on success, 1 on failure (one line on stderr, the
 * stack trace only with {@code --verbose}), 2 on a usage error.
 */
@Command(name = "strata", mixinStandardHelpOptions = true, version = "strata 0.1.0-SNAPSHOT",
        description = "Strata: event sourcing and CQRS with its own log store.",
        subcommandsRepeatable = false)
public final class Strata {

    @Option(names = "--verbose", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine commandLine = commandLine();
        return commandLine.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Strata());
        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("demo", new StoreTourCommand());
        commands.put("verify", new VerifyCommand());
        commands.put("dump", new DumpCommand());
        commands.put("stats", new StatsCommand());
        commands.put("server", new ServerCommand());
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            commands.put(provider.name(), provider.command());
        }
        commands.forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            boolean verbose = parsed.matchedOption("--verbose") != null
                    || parsed.subcommands().stream().anyMatch(sub -> sub.matchedOption("--verbose") != null);
            if (verbose) {
                failure.printStackTrace(line.getErr());
            } else {
                line.getErr().println("strata " + line.getCommandName() + ": " + oneLine(failure));
            }
            return 1;
        });
        return commandLine;
    }

    private static String oneLine(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            message = failure.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }
}
