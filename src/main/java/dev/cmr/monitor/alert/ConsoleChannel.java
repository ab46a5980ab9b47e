package dev.cmr.monitor.alert;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Prints one line per notification ({@link AlertNotification#message()} prefixed with its time) to a stream,
 * {@code System.out} by default. A {@link PrintStream} hides I/O errors; this channel checks for them and reports
 * them as a failure so that a closed stdout is counted rather than silently lost.
 */
public final class ConsoleChannel implements AlertChannel {
    private final PrintStream out;

    public ConsoleChannel(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void send(AlertNotification n) throws IOException {
        out.println("[cmr-monitor alert " + n.timestamp() + "] " + n.message());
        if (out.checkError()) {
            throw new IOException("console stream reported an error");
        }
    }
}
