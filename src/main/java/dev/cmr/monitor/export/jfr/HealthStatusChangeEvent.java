package dev.cmr.monitor.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A component's health status differs from the previous evaluation that this attachment saw ({@code system} is the
 * overall verdict). The first evaluation seen reports every component with a null previous status. Committed on the
 * evaluating thread.
 */
@Name(JfrEvents.HEALTH_STATUS_CHANGE)
@Label("CMR Health Status Change")
@Category({"CMR Monitor"})
@Description("A component of the CMR monitor's health changed status")
@StackTrace(false)
@Enabled(false)
final class HealthStatusChangeEvent extends jdk.jfr.Event {
    @Label("Component")
    String component;

    @Label("Previous Status")
    @Description("GREEN, YELLOW, RED or NO_DATA; null for the first evaluation seen")
    String previousStatus;

    @Label("Status")
    String status;

    @Label("Score")
    @Description("0..100; -1 for NO_DATA")
    int score;

    @Label("Decided By")
    @Description("The check that decided the status; null for NO_DATA and for system")
    String decidedBy;

    @Label("Decisive Value")
    @Description("The deciding check's value; NaN when there is none")
    double decisiveValue;
}
