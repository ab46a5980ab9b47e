package dev.cmr.cli;

import dev.cmr.monitor.device.BackendStatus;
import dev.cmr.monitor.device.Devices;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints what {@link Devices#detect()} finds: one line per backend ({@code opencl}, {@code cuda}, {@code nvml}),
 * available or not, with what was found or why not. Always exits 0: a missing backend is an answer, not a failure.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the device backends this machine can use (opencl, cuda, nvml), each with its reason. "
                + "Exit 0.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (BackendStatus s : Devices.detect()) {
            out.printf("%-7s %-11s %s%n", s.backend(), s.available() ? "available" : "unavailable", s.detail());
        }
        out.flush();
        return 0;
    }
}
