package dev.cmr.monitor.alert;

import java.util.Objects;
import org.slf4j.Logger;

/**
 * Logs each notification through SLF4J: a firing critical or error alert at ERROR, a firing warning at WARN, a
 * resolved notice at INFO. The message is {@link AlertNotification#message()}; the rule, metric and severity are
 * added as key-value pairs for structured backends. Which binding prints it is the application's choice.
 */
public final class LogChannel implements AlertChannel {
    private final Logger logger;

    public LogChannel(Logger logger) {
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(AlertNotification n) {
        var event = switch (n.status()) {
            case RESOLVED -> logger.atInfo();
            case FIRING -> n.severity() == Severity.WARNING ? logger.atWarn() : logger.atError();
        };
        event.addKeyValue("alert_rule", n.ruleName())
                .addKeyValue("alert_metric", n.metric())
                .addKeyValue("alert_severity", n.severity().configName())
                .log(n.message());
    }
}
