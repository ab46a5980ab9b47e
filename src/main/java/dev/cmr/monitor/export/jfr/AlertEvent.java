package dev.cmr.monitor.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timestamp;

/** One alert notification the monitor's alert manager sent (firing or resolved). Committed on the evaluating thread. */
@Name(JfrEvents.ALERT)
@Label("CMR Alert")
@Category({"CMR Monitor"})
@Description("An alert notification of the CMR monitor: firing or resolved")
@StackTrace(false)
@Enabled(false)
final class AlertEvent extends jdk.jfr.Event {
    @Label("Status")
    @Description("firing or resolved")
    String status;

    @Label("Rule")
    String rule;

    @Label("Metric")
    String metric;

    @Label("Component")
    String component;

    @Label("Severity")
    String severity;

    @Label("Comparison")
    String comparison;

    @Label("Threshold")
    double threshold;

    @Label("Value")
    @Description("The metric's value at the evaluation; NaN when it had no data")
    double value;

    @Label("Active Since")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long activeSince;

    @Label("Repeat")
    int repeat;

    @Label("Reason")
    String reason;

    @Label("Message")
    String message;
}
