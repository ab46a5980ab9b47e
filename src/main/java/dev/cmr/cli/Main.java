package dev.cmr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point: {@code java -jar cmr-monitor.jar <command>}. */
@Command(name = "cmr-monitor", mixinStandardHelpOptions = true, version = "cmr-monitor 0.1.0",
        description = "Performance monitor for Contextual Memory Reweaving inference.",
        subcommands = {DemoCommand.class, ProfileCommand.class, CompareCommand.class, ReportCommand.class,
                ServeCommand.class, DevicesCommand.class, RulesCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
