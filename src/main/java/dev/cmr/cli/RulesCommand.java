package dev.cmr.cli;

import dev.cmr.io.IoErrors;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.export.prometheus.PrometheusRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes Prometheus alerting rules equivalent to a monitoring configuration's alerts ({@link PrometheusRules}) to
 * stdout or, atomically, to {@code --out}. Exit codes: 0 written, 2 bad input; bad input is one line on stderr
 * naming the option or file and what is wrong with it.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Write Prometheus alerting rules equivalent to the monitor's alert thresholds, health bands "
                + "and escalation delays, over the metrics /metrics exports. Exit 0: written; 2: an unreadable or "
                + "invalid configuration, or an output file that cannot be written.")
final class RulesCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A MonitoringConfig JSON file (default: the built-in defaults).")
    Path config;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the rules here (default: stdout).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MonitoringConfig monitoring;
        try {
            monitoring = config == null ? MonitoringConfig.defaults() : MonitoringConfig.load(config);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("--config: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        PrometheusRules rules = PrometheusRules.of(monitoring);
        if (out == null) {
            stdout.print(rules.toYaml());
            stdout.flush();
            return ExitCodes.OK;
        }
        try {
            rules.write(out);
        } catch (IOException e) {
            err.println("--out " + out + ": cannot write: " + IoErrors.reason(e));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        err.println(rules.rules().size() + " alerting rules written to " + out);
        err.flush();
        return ExitCodes.OK;
    }
}
