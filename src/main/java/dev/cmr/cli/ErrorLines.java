package dev.cmr.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns what escapes a command into one line on its stderr: a usage error (an unknown option, a value of the wrong
 * type) is {@code <command>: <picocli's message> (try <command> --help)}, exit {@link ExitCodes#BAD_INPUT}; an
 * exception thrown by a command's work is {@code <command>: <message>}, exit {@link ExitCodes#FAILED}. Bad input a
 * command finds before its work it reports itself (exit 2). With {@code --verbose} the stack trace follows the
 * line. Stateless apart from the verbose flag it reads.
 */
final class ErrorLines implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final BooleanSupplier verbose;

    ErrorLines(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(prefix(command) + oneLine(e.getMessage()) + " (try " + name + " --help)");
        if (verbose.getAsBoolean() || wantsVerbose(args)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(prefix(command) + message(e));
        if (verbose.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
    }

    /** {@code demo: } for a subcommand; nothing for the top command, whose errors are about the command itself. */
    private static String prefix(CommandLine command) {
        return command.getParent() == null ? "" : command.getCommandName() + ": ";
    }

    /** The exception's own words; its class when it has none; an unchecked IO failure's message names its file. */
    static String message(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException && e.getMessage() == null ? e.getCause() : e;
        String message = shown.getMessage();
        return message == null || message.isBlank() ? shown.getClass().getName() : oneLine(message);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    // A usage error can come before --verbose was parsed; the raw arguments still say whether it was asked for.
    private static boolean wantsVerbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
