package dev.cmr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point: {@code java -jar cmr-monitor.jar <command>}. Every command reports an error as one line on stderr
 * naming the option, file or key and what was wrong, and exits with {@link ExitCodes}: 2 for bad input (a usage
 * error picocli finds, or one a command finds before its work), 1 for a failure during the work. A stack trace is
 * printed only with {@code --verbose}, which every command accepts.
 */
@Command(name = "cmr-monitor", mixinStandardHelpOptions = true, version = "cmr-monitor 0.1.0",
        description = "Performance monitor for Contextual Memory Reweaving inference.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:a failure during the work", "2:bad input (an option, a file or a key)"},
        subcommands = {DemoCommand.class, ProfileCommand.class, CompareCommand.class, ReportCommand.class,
                ServeCommand.class, DevicesCommand.class, RulesCommand.class})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error, after its one-line message.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every command and the one-line error handlers ({@link ErrorLines}). */
    static CommandLine commandLine() {
        Main main = new Main();
        CommandLine line = new CommandLine(main);
        ErrorLines errors = new ErrorLines(() -> main.verbose);
        return line.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
